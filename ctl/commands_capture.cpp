// siitctl capture: asks siitd for a capture and writes the pcapng it streams to a file (opened
// here, as the user who runs siitctl: siitd writes no file for it) or to standard output for
// `tshark -r -`. Only whole blocks are written, so a capture cut short is still readable; Ctrl-C
// half-closes the connection, and siitd ends the stream with its statistics.
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>

#include "cli.hpp"
#include "client.hpp"
#include "control/pcapng.hpp"

namespace siitctl {

namespace {

using json = nlohmann::json;
namespace pcapng = siit::control::pcapng;

volatile std::sig_atomic_t g_interrupted = 0;
void on_interrupt(int) {
    g_interrupted = 1;
}

bool write_all(int fd, const std::string& bytes) {
    for (std::size_t done = 0; done < bytes.size();) {
        const ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

struct CaptureArgs {
    std::string port, direction = "both", filter, output;
    std::uint64_t count = 0;
    double duration = 0;
    std::uint32_t snaplen = 2048;
};

int run_capture(const Options& o, const CaptureArgs& a) {
    if (a.output.empty() && isatty(STDOUT_FILENO)) {
        std::cerr << "siitctl: capture: give -w FILE.pcapng, or -w - to pipe into `tshark -r -`\n";
        return kExitUsage;
    }
    json req = protocol::make_request(
        protocol::Command::capture,
        {{protocol::field::direction, a.direction}, {protocol::field::snaplen, a.snaplen}});
    if (!a.port.empty()) req[protocol::field::port] = a.port;
    if (!a.filter.empty()) req[protocol::field::filter] = a.filter;
    if (a.count) req[protocol::field::count] = a.count;
    if (a.duration > 0) req[protocol::field::duration] = a.duration;

    int out = STDOUT_FILENO;
    const bool to_file = !a.output.empty() && a.output != "-";
    if (to_file) {
        // 0600: a capture holds other people's traffic.
        out = open(a.output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (out < 0) {
            std::cerr << "siitctl: capture: " << a.output << ": " << std::strerror(errno) << "\n";
            return kExitUsage;
        }
    }
    Stream stream;
    try {
        stream = open_stream(o.socket, req, o.timeout_ms);
    } catch (const Unreachable&) {
        if (to_file) {
            close(out);
            unlink(a.output.c_str());
        }
        throw;
    }
    if (!stream.reply.value("ok", false)) {
        std::cerr << "siitctl: siitd refused: " << stream.reply.value("error", "(no reason given)")
                  << "\n";
        close(stream.fd);
        if (to_file) {
            close(out);
            unlink(a.output.c_str());
        }
        return kExitRefused;
    }
    const json& started = stream.reply["result"];
    std::cerr << "siitctl: capturing on " << started["ports"].dump() << " ("
              << started["direction"].get<std::string>() << ")"
              << (a.filter.empty() ? "" : ", filter '" + a.filter + "'") << "; Ctrl-C stops\n";

    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
    pcapng::BlockSplitter splitter;
    splitter.feed(stream.first_bytes);
    std::uint64_t packets = 0, pairs = 0, lost = 0;
    std::optional<std::uint64_t> last_id;
    bool half_closed = false, writable = true;
    char chunk[65536];
    for (;;) {
        while (auto block = splitter.next()) {
            if (block->type == pcapng::kEnhancedPacket) {
                ++packets;
                const auto packet = pcapng::parse_packet(block->bytes);
                if (packet && packet->packet_id != last_id) {
                    ++pairs;
                    last_id = packet->packet_id;
                }
            } else if (block->type == pcapng::kInterfaceStatistics) {
                if (const auto s = pcapng::parse_interface_statistics(block->bytes))
                    lost += s->dropped;
            }
            if (writable && !write_all(out, block->bytes)) writable = false; // tshark quit
        }
        if (splitter.error()) {
            std::cerr << "siitctl: capture: siitd sent something that is not pcapng; stopping\n";
            break;
        }
        if ((g_interrupted || !writable) && !half_closed) {
            shutdown(stream.fd, SHUT_WR); // siitd ends the stream, with its statistics
            half_closed = true;
        }
        pollfd p{stream.fd, POLLIN, 0};
        if (poll(&p, 1, 200) <= 0) continue;
        const ssize_t n = recv(stream.fd, chunk, sizeof chunk, 0);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) break;
        splitter.feed(std::string_view(chunk, static_cast<std::size_t>(n)));
    }
    close(stream.fd);
    if (to_file) close(out);
    std::cerr << "siitctl: " << packets << " packets (" << pairs << " received with what siitd "
              << "sent for them, or sent alone)" << (to_file ? " written to " + a.output : "")
              << "; " << lost << " lost by the capture (traffic is never dropped for it)\n";
    return splitter.pending() == 0 ? 0 : kExitUnreachable;
}

} // namespace

void add_capture_command(Cli& cli) {
    auto& a = cli.keep<CaptureArgs>();
    auto* capture = cli.app.add_subcommand(
        "capture", "record what siitd receives and what it sends for each packet (before and "
                   "after translation, linked), the ICMP errors it generates and its drops with "
                   "their counter, as pcapng");
    capture->add_option("--port", a.port, "only this port (siitctl ports names them); default all");
    capture
        ->add_option("--direction", a.direction,
                     "rx: packets received on the port(s), with what was sent for them; tx: "
                     "packets sent on them, with what they were translated from; both")
        ->check(CLI::IsMember({"rx", "tx", "both"}));
    capture->add_option("-f,--filter", a.filter,
                        "libpcap filter (as tcpdump's); a pair is kept when one of its packets "
                        "matches");
    capture->add_option("-c,--count", a.count,
                        "stop after COUNT received packets (and what was "
                        "sent for them)");
    capture->add_option("--duration", a.duration, "stop after this many seconds")
        ->check(CLI::Range(0.0, 86400.0));
    capture->add_option("-s,--snaplen", a.snaplen, "bytes kept of each packet (64 to 9216)")
        ->check(CLI::Range(64, 9216));
    capture->add_option("-w", a.output,
                        "write to FILE (pcapng, mode 0600), or - for standard output");
    cli.on(capture, [&cli, &a] { return run_capture(cli.options, a); });
}

} // namespace siitctl
