// The capture session's life and its writer thread; see capture.hpp.
#include "capture/capture.hpp"

#include <poll.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <stdexcept>

#include "control/pcapng.hpp"
#include "control/protocol.hpp"

namespace siitd {

namespace pcapng = siit::control::pcapng;

namespace {

// The ring holds this many pairs' copies at most, and the pool as many copies: what the writer
// has not yet sent when they are full is lost to the capture (counted), never to traffic.
constexpr unsigned kRingSize = 4096;
constexpr unsigned kPoolSize = kRingSize - 1;
constexpr std::uint32_t kMinSnaplen = 64, kMaxSnaplen = 9216;

std::string pair_label(std::uint64_t id) {
    return "#" + std::to_string(id >> 48) + "." +
           std::to_string(id & ((std::uint64_t{1} << 48) - 1));
}

// What a copy's comment says: what happened to it, in words and counter names.
std::string comment(const CaptureRecord& record, const std::string& port) {
    const std::string id = pair_label(record.id);
    switch (record.kind) {
    case CaptureKind::received:
        return "siitd " + id + " received on " + port + ": " + record.reason;
    case CaptureKind::sent:
        return "siitd " + id + " sent on " + port + ": translation of " + id;
    case CaptureKind::error_sent:
        return "siitd " + id + " sent on " + port + ": ICMP error siitd generated for " + id;
    case CaptureKind::dropped:
        return "siitd " + id + " received on " + port + ": dropped: " + record.reason;
    case CaptureKind::to_kernel:
        return "siitd " + id + " received on " + port + ": to the box's kernel";
    case CaptureKind::from_kernel:
        return "siitd " + id + " sent on " + port + ": from the box's kernel";
    }
    return "siitd " + id;
}

bool outbound(CaptureKind kind) {
    return kind == CaptureKind::sent || kind == CaptureKind::error_sent ||
           kind == CaptureKind::from_kernel;
}

std::uint64_t realtime_ns() {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    return static_cast<std::uint64_t>(now.tv_sec) * 1000000000u +
           static_cast<std::uint64_t>(now.tv_nsec);
}

bool compile_filter(int linktype, std::uint32_t snaplen, const std::string& text,
                    bpf_program& program, std::string& error) {
    pcap_t* dead = pcap_open_dead(linktype, static_cast<int>(snaplen));
    if (!dead) {
        error = "libpcap cannot compile filters here";
        return false;
    }
    const bool ok = pcap_compile(dead, &program, text.c_str(), 1, PCAP_NETMASK_UNKNOWN) == 0;
    if (!ok) error = pcap_geterr(dead);
    pcap_close(dead);
    return ok;
}

} // namespace

CaptureRequest parse_capture_request(const nlohmann::json& request) {
    CaptureRequest out;
    namespace protocol = siit::control;
    // The fields are the protocol's (lib/control/protocol.hpp): the socket refuses any other
    // before this runs; a request handed here from elsewhere is held to the same.
    const protocol::CommandSpec& spec = protocol::spec(protocol::Command::capture);
    if (const auto unknown = protocol::unknown_field(spec, request))
        throw std::invalid_argument(protocol::unknown_field_problem(spec, *unknown));
    const auto text = [&](const char* key, std::string& into) {
        if (!request.contains(key)) return;
        if (!request[key].is_string())
            throw std::invalid_argument(std::string(key) + " must be a string");
        into = request[key].get<std::string>();
        // libpcap and the port names are C strings: a NUL would cut what siitd checks short of
        // what was asked.
        if (into.find('\0') != std::string::npos)
            throw std::invalid_argument(std::string(key) + " must not contain a NUL character");
    };
    text(protocol::field::port, out.port);
    text(protocol::field::direction, out.direction);
    text(protocol::field::filter, out.filter);
    if (out.direction != "rx" && out.direction != "tx" && out.direction != "both")
        throw std::invalid_argument("direction must be rx, tx or both, not '" + out.direction +
                                    "'");
    if (request.contains(protocol::field::count)) {
        if (!request[protocol::field::count].is_number_integer() ||
            request[protocol::field::count].get<std::int64_t>() < 0)
            throw std::invalid_argument("count must be a whole number of packets");
        out.count = request[protocol::field::count].get<std::uint64_t>();
    }
    if (request.contains(protocol::field::duration)) {
        const auto& duration = request[protocol::field::duration];
        if (!duration.is_number() || !std::isfinite(duration.get<double>()) ||
            std::signbit(duration.get<double>()) || duration.get<double>() > 86400)
            throw std::invalid_argument("duration must be a number of seconds from 0 to 86400");
        out.duration_seconds = request[protocol::field::duration].get<double>();
    }
    if (request.contains(protocol::field::snaplen)) {
        if (!request[protocol::field::snaplen].is_number_integer() ||
            request[protocol::field::snaplen].get<std::int64_t>() < kMinSnaplen ||
            request[protocol::field::snaplen].get<std::int64_t>() > kMaxSnaplen)
            throw std::invalid_argument("snaplen must be from " + std::to_string(kMinSnaplen) +
                                        " to " + std::to_string(kMaxSnaplen) + " bytes");
        out.snaplen = request[protocol::field::snaplen].get<std::uint32_t>();
    }
    return out;
}

Capture::Capture(const std::vector<Port>& ports, std::atomic<const CaptureSession*>& published,
                 siit::QuiescentStateTracker& qsbr)
    : ports_(ports), published_(published), qsbr_(qsbr) {}

Capture::~Capture() {
    stop();
    release_session();
}

nlohmann::json Capture::prepare(const CaptureRequest& request) {
    if (running_.load()) throw std::invalid_argument("a capture is already running; one at a time");
    if (thread_started_) { // the previous capture's thread has ended: collect it
        pthread_join(thread_, nullptr);
        thread_started_ = false;
    }
    release_session(); // one prepared but never served (its client went away)

    auto session = std::make_unique<CaptureSession>();
    nlohmann::json names = nlohmann::json::array();
    for (std::size_t i = 0; i < ports_.size(); ++i) {
        if (!request.port.empty() && ports_[i].display_name() != request.port) continue;
        if (request.direction != "tx") session->rx_ports |= std::uint64_t{1} << i;
        if (request.direction != "rx") session->tx_ports |= std::uint64_t{1} << i;
        names.push_back(ports_[i].display_name());
    }
    if (names.empty()) {
        std::string known;
        for (const Port& p : ports_)
            known += (known.empty() ? "" : ", ") + p.display_name();
        throw std::invalid_argument("no port '" + request.port + "' (ports: " + known + ")");
    }
    session->snaplen = request.snaplen;
    if (!request.filter.empty()) {
        std::string error;
        if (!compile_filter(DLT_EN10MB, request.snaplen, request.filter, session->filter_ethernet,
                            error) ||
            !compile_filter(DLT_RAW, request.snaplen, request.filter, session->filter_raw, error)) {
            pcap_freecode(&session->filter_ethernet);
            throw std::invalid_argument("filter '" + request.filter + "': " + error);
        }
        session->filtered = true;
    }
    session->ring = rte_ring_create("siitd_capture", kRingSize, SOCKET_ID_ANY, RING_F_SC_DEQ);
    session->pool = rte_pktmbuf_pool_create(
        "siitd_capture", kPoolSize, 32,
        static_cast<std::uint16_t>(RTE_ALIGN(sizeof(CaptureRecord), RTE_MBUF_PRIV_ALIGN)),
        static_cast<std::uint16_t>(RTE_PKTMBUF_HEADROOM + request.snaplen), SOCKET_ID_ANY);
    session_ = std::move(session);
    request_ = request;
    if (!session_->ring || !session_->pool) {
        release_session();
        throw std::invalid_argument(std::string("no memory for the capture's ring and pool (") +
                                    rte_strerror(rte_errno) + ")");
    }
    return {{"ports", names},
            {"direction", request.direction},
            {"filter", request.filter},
            {"count", request.count},
            {"duration", request.duration_seconds},
            {"snaplen", request.snaplen}};
}

void Capture::serve(int fd, std::string reply) {
    if (!session_ || running_.load()) {
        close(fd);
        return;
    }
    fd_ = fd;
    reply_ = std::move(reply);
    stop_.store(false);
    running_.store(true);
    if (rte_ctrl_thread_create(&thread_, "siitd-capture", nullptr, run_trampoline, this) != 0) {
        running_.store(false);
        close(fd_);
        release_session();
        return;
    }
    thread_started_ = true;
}

void Capture::stop() {
    stop_.store(true);
    if (thread_started_) {
        pthread_join(thread_, nullptr);
        thread_started_ = false;
    }
}

void* Capture::run_trampoline(void* self) {
    static_cast<Capture*>(self)->run();
    return nullptr;
}

// The client's end of the stream: sends whole buffers, waiting while the client reads (the
// workers never wait: the ring fills and the capture loses pairs meanwhile). A client that takes
// nothing for `stall_limit_ms` is cut off: it would hold the one capture slot for good.
struct Capture::Stream {
    int fd;
    const std::atomic<bool>& stop;
    std::uint32_t stall_limit_ms;
    bool open = true;
    bool cut_off = false;

    void send_all(const std::string& bytes) {
        std::size_t done = 0;
        auto last_progress = std::chrono::steady_clock::now();
        while (open && done < bytes.size()) {
            const ssize_t n =
                ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n > 0) {
                done += static_cast<std::size_t>(n);
                last_progress = std::chrono::steady_clock::now();
            } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
                pollfd p{fd, POLLOUT, 0};
                poll(&p, 1, 100);
                if (stop.load()) open = false;
                if (std::chrono::steady_clock::now() - last_progress >
                    std::chrono::milliseconds(stall_limit_ms)) {
                    open = false;
                    cut_off = true;
                }
            } else {
                open = false; // the client went away
            }
        }
    }
    // Whether the client hung up (it sends nothing after its request); waits up to `ms`.
    bool hung_up(int ms) {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, ms) <= 0) return false;
        char byte[256];
        const ssize_t n = recv(fd, byte, sizeof byte, MSG_DONTWAIT);
        return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
    }
};

void Capture::run() {
    CaptureSession& session = *session_;
    const int fd = fd_;
    Stream stream{fd, stop_, stall_limit_ms_};
    const std::uint64_t hz = rte_get_tsc_hz();
    const std::uint64_t tsc0 = rte_get_tsc_cycles();
    const std::uint64_t epoch0 = realtime_ns();
    const auto to_ns = [&](std::uint64_t tsc) {
        const auto delta = static_cast<long double>(static_cast<std::int64_t>(tsc - tsc0));
        return epoch0 + static_cast<std::uint64_t>(delta * 1e9L / hz);
    };
    std::string out = reply_ + "\n";
    pcapng::append_section_header(out, "siitd " SIITD_VERSION);
    for (const Port& port : ports_)
        pcapng::append_interface(out, port.l3 ? pcapng::kLinktypeRaw : pcapng::kLinktypeEthernet,
                                 session.snaplen, port.display_name(), port.config.device);
    stream.send_all(out);
    RTE_LOG(INFO, USER1, "siitd: capture started (%s)\n", reply_.c_str());

    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(request_.duration_seconds));
    std::vector<std::uint64_t> written(ports_.size(), 0);
    std::uint64_t pairs = 0, last_id = ~std::uint64_t{0};
    bool done = false;
    published_.store(&session, std::memory_order_release);
    void* batch[64];
    while (!done && stream.open) {
        const unsigned n = rte_ring_sc_dequeue_burst(session.ring, batch, 64, nullptr);
        out.clear();
        for (unsigned i = 0; i < n; ++i) {
            auto* copy = static_cast<rte_mbuf*>(batch[i]);
            const CaptureRecord& record = capture_record(copy);
            if (record.id != last_id && !done) {
                // A new pair (a pair's copies are enqueued together, so they arrive together).
                if (request_.count && pairs == request_.count)
                    done = true;
                else
                    ++pairs;
                last_id = record.id;
            }
            if (!done) {
                pcapng::Packet packet;
                packet.interface = record.port;
                packet.timestamp_ns = to_ns(record.tsc);
                packet.data = std::string_view(rte_pktmbuf_mtod(copy, const char*), copy->data_len);
                packet.original_length = record.original_length;
                packet.direction = outbound(record.kind) ? pcapng::Direction::outbound
                                                         : pcapng::Direction::inbound;
                packet.packet_id = record.id;
                packet.comment = comment(record, ports_[record.port].display_name());
                pcapng::append_packet(out, packet);
                ++written[record.port];
            }
            rte_pktmbuf_free(copy);
        }
        if (!out.empty()) stream.send_all(out);
        // The count's last pair is whole once the ring is empty behind it (its copies were
        // enqueued together).
        if (request_.count && pairs == request_.count && rte_ring_empty(session.ring)) done = true;
        if (stop_.load() ||
            (request_.duration_seconds > 0 && std::chrono::steady_clock::now() >= deadline))
            done = true;
        // A client that hung up (or half-closed: siitctl on Ctrl-C) ends the capture; nothing
        // waiting: rest a little while looking.
        if (!done && stream.hung_up(n == 0 ? 5 : 0)) done = true;
    }

    // The workers let go of the session before it is torn down: after the grace period none of
    // them can still be recording into it.
    published_.store(nullptr, std::memory_order_release);
    qsbr_.check(qsbr_.start(), true);
    void* left = nullptr;
    while (rte_ring_sc_dequeue(session.ring, &left) == 0)
        rte_pktmbuf_free(static_cast<rte_mbuf*>(left));

    std::uint64_t lost = 0;
    out.clear();
    for (std::size_t p = 0; p < ports_.size(); ++p) {
        const std::uint64_t port_lost = p < session.lost.size() ? session.lost[p].load() : 0;
        lost += port_lost;
        pcapng::InterfaceStatistics statistics;
        statistics.interface = static_cast<std::uint32_t>(p);
        statistics.timestamp_ns = realtime_ns();
        statistics.received = written[p];
        statistics.dropped = port_lost;
        statistics.comment = "siitd: " + std::to_string(written[p]) + " packets captured, " +
                             std::to_string(port_lost) +
                             " pairs lost by the capture (its ring or pool full); traffic is "
                             "never dropped for a capture";
        pcapng::append_interface_statistics(out, statistics);
    }
    stream.send_all(out);
    if (stream.cut_off) {
        if (cut_off_) cut_off_->fetch_add(1, std::memory_order_relaxed);
        RTE_LOG(WARNING, USER1,
                "siitd: capture cut off: its reader took nothing for %u ms "
                "(control.client-timeout-ms); %llu pairs written, %llu lost\n",
                stall_limit_ms_, static_cast<unsigned long long>(pairs),
                static_cast<unsigned long long>(lost));
    } else {
        RTE_LOG(INFO, USER1, "siitd: capture ended: %llu pairs written, %llu lost\n",
                static_cast<unsigned long long>(pairs), static_cast<unsigned long long>(lost));
    }
    // The slot is free before the client sees the end of its stream: a capture asked for right
    // after this one ended is never refused as "already running".
    release_session();
    running_.store(false);
    shutdown(fd, SHUT_WR);
    close(fd);
}

void Capture::release_session() {
    if (!session_) return;
    if (session_->filtered) {
        pcap_freecode(&session_->filter_ethernet);
        pcap_freecode(&session_->filter_raw);
    }
    rte_ring_free(session_->ring);
    rte_mempool_free(session_->pool);
    session_.reset();
}

} // namespace siitd
