// siitd throughput: the real worker loop (app/dataplane/dataplane.cpp) on a net_ring port, fed by
// the main lcore with a fixed mix of pre-built 64-byte frames (UDP 4->6 to EAMT addresses, UDP 6->4
// from EAMT to pool6 addresses). Every frame siitd sends is restored from its template and fed
// again, so the feeder does the same work for both measurements. Then, on the same rings with the
// same feeder, plain DPDK I/O forwarding (rx_burst -> tx_burst, no translation) as the figure to
// compare with, and a floor: fixed headers written where translation writes them, with no
// translation (what any translator pays in memory traffic, so that what is left is the
// translation's own cost). A benchmark: it prints Mpps and ns per packet, it asserts nothing.
//
// Usage: dataplane-bench [SECONDS] [LCORES] [FEEDER_CPUS] [EAMT_ENTRIES]
// (defaults: 2 seconds, "0-1": one worker on lcore 1, the main lcore feeding alone, FEEDER_CPUS
// "none", one EAMT entry; with EAMT_ENTRIES above 1, that many random entries (eamt-bench's
// mix, or single addresses only when written "N/32") and a million frames to and from random
// addresses of random entries, the feeders going through them in order)
// DATAPLANE_BENCH_EAL adds EAL options (space-separated).
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <pthread.h>
#include <random>
#include <sched.h>
#include <string>
#include <thread>
#include <vector>

#include "dataplane/busy_clock.hpp"
#include "dataplane/dataplane.hpp"
#include "packet_builder.hpp"
#include "random_eamt.hpp"
#include "siit/bytes.hpp"
#include "siit/checksum.hpp"
#include "siit/prefetch.hpp"
#include "siit/translator.hpp"

using namespace siit;

namespace {

using Frame = std::vector<std::uint8_t>;
// Frames in flight per worker: enough for several bursts in each ring.
constexpr unsigned kInFlightPerWorker = 2048;

// A 64-byte Ethernet frame: UDP with valid checksums, from `src` to `dst` (4 or 16 bytes each).
Frame make_frame(bool from_ipv4, const std::uint8_t* src, const std::uint8_t* dst) {
    const test::Bytes udp = {
        0x03, 0xe8, 0x07, 0xd0, 0, from_ipv4 ? std::uint8_t{30} : std::uint8_t{10}, 0, 0};
    test::Bytes ip;
    if (from_ipv4) {
        test::Bytes l4 = udp;
        l4.resize(30, 0);
        ip = test::ipv4_packet(Ipv4Address::from_bytes(src), Ipv4Address::from_bytes(dst),
                               kProtoUdp, l4);
    } else {
        test::Bytes l4 = udp;
        l4.resize(10, 0);
        ip = test::ipv6_packet(Ipv6Address::from_bytes(src), Ipv6Address::from_bytes(dst),
                               kProtoUdp, l4);
    }
    Frame f(64, 0);
    store16(f.data() + 12, from_ipv4 ? 0x0800 : 0x86dd);
    std::copy(ip.begin(), ip.end(), f.begin() + 14);
    return f;
}

// The pool6 (2001:db8:64::/96) form of 192.0.2.x, the IPv4 side's hosts in every mix. A
// network-specific prefix: the Well-Known Prefix never carries these documentation addresses
// (RFC 6052 §3.1). Same length, so the same fast-path code as 64:ff9b::/96.
Ipv6Address pool6_host(std::uint8_t x) {
    return Ipv6Address::from_bytes(std::array<std::uint8_t, 16>{0x20, 0x01, 0x0d, 0xb8, 0, 0x64, 0,
                                                                0, 0, 0, 0, 0, 192, 0, 2, x}
                                       .data());
}

// The default mix, one EAM entry (198.51.100.0/24 <-> 2001:db8:100::/120): 4->6 from 192.0.2.x
// to 198.51.100.x, and 6->4 from 2001:db8:100::x to 2001:db8:64::192.0.2.x, alternating.
std::vector<Frame> make_templates() {
    std::vector<Frame> frames;
    for (unsigned i = 0; i < 32; ++i) {
        const auto x = static_cast<std::uint8_t>(i + 1);
        if (i % 2 == 0) {
            const std::uint8_t src[4] = {192, 0, 2, x}, dst[4] = {198, 51, 100, x};
            frames.push_back(make_frame(true, src, dst));
        } else {
            const std::uint8_t src[16] = {
                0x20, 0x01, 0x0d, 0xb8, 0x01, 0, 0, 0,
                0,    0,    0,    0,    0,    0, 0, static_cast<std::uint8_t>(i)};
            frames.push_back(
                make_frame(false, src, pool6_host(static_cast<std::uint8_t>(i)).bytes.data()));
        }
    }
    return frames;
}

// The large-table mix: `count` frames, each to or from a random address of a random entry of
// `entries`, so that every lookup lands anywhere in the table (as on a box whose EAMT maps many
// customers), alternating 4->6 and 6->4 as the default mix does.
std::vector<Frame> make_random_templates(const bench::BenchTable& table, std::size_t count,
                                         std::mt19937_64& rng) {
    std::vector<Frame> frames;
    frames.reserve(count);
    const bench::EntryPicker pick(table);
    for (std::size_t i = 0; i < count; ++i) {
        const EamEntry& e = pick(rng);
        const Ipv4Address eam4{e.prefix4.address.value |
                               (static_cast<std::uint32_t>(rng()) & ~e.prefix4.mask())};
        const auto x = static_cast<std::uint8_t>(1 + rng() % 254);
        if (i % 2 == 0) {
            std::uint8_t src[4] = {192, 0, 2, x}, dst[4];
            eam4.to_bytes(dst);
            frames.push_back(make_frame(true, src, dst));
        } else {
            frames.push_back(
                make_frame(false, eam_map_4to6(e, eam4).bytes.data(), pool6_host(x).bytes.data()));
        }
    }
    return frames;
}

// Writes `frame` into `m` as a NIC would, at the default headroom.
void restore(rte_mbuf* m, const Frame& frame) {
    m->data_off = RTE_PKTMBUF_HEADROOM;
    std::memcpy(rte_pktmbuf_mtod(m, void*), frame.data(), frame.size());
    m->data_len = static_cast<std::uint16_t>(frame.size());
    m->pkt_len = static_cast<std::uint32_t>(frame.size());
}

struct Rings {
    std::vector<rte_ring*> rx, tx;
};

// One feeder's share: the queues q with q % stride == first, each frame restored and sent back to
// the RX ring of the queue it came from, until `seconds` pass after a warm-up. Returns how many
// frames came back (were sent by the workers) after the warm-up.
std::uint64_t feed_share(const Rings& rings, const std::vector<Frame>& templates, double seconds,
                         std::size_t first, std::size_t stride) {
    using Clock = std::chrono::steady_clock;
    std::uint64_t returned = 0;
    const auto start = Clock::now();
    const auto warm = start + std::chrono::milliseconds(300);
    const auto end = warm + std::chrono::duration<double>(seconds);
    std::uint64_t at_warm = 0;
    bool warmed = false;
    void* objs[64];
    // The feeder goes through the templates in order, so that reading them stays cheap (the
    // hardware prefetcher streams them) however many there are.
    std::size_t next = first % templates.size();
    while (true) {
        const auto now = Clock::now();
        if (!warmed && now >= warm) {
            at_warm = returned;
            warmed = true;
        }
        if (now >= end) break;
        for (std::size_t q = first; q < rings.tx.size(); q += stride) {
            const unsigned n = rte_ring_dequeue_burst(rings.tx[q], objs, 64, nullptr);
            for (unsigned i = 0; i < n; ++i) {
                restore(static_cast<rte_mbuf*>(objs[i]), templates[next]);
                next = next + 1 == templates.size() ? 0 : next + 1;
            }
            returned += n;
            unsigned done = 0;
            while (done < n)
                done += rte_ring_enqueue_burst(rings.rx[q], objs + done, n - done, nullptr);
        }
    }
    return returned - at_warm;
}

// Feeds with `feeder_cpus.size() + 1` feeders: this thread and one thread pinned to each CPU
// listed (outside the EAL's lcores), so that one feeder core does not cap many workers.
double feed(const Rings& rings, const std::vector<Frame>& templates, double seconds, bool& stalled,
            const std::vector<int>& feeder_cpus) {
    const std::size_t stride = feeder_cpus.size() + 1;
    std::vector<std::uint64_t> returned(stride);
    std::vector<std::thread> threads;
    for (std::size_t f = 1; f < stride; ++f)
        threads.emplace_back([&, f] {
            cpu_set_t set;
            CPU_ZERO(&set);
            CPU_SET(feeder_cpus[f - 1], &set);
            pthread_setaffinity_np(pthread_self(), sizeof set, &set);
            returned[f] = feed_share(rings, templates, seconds, f, stride);
        });
    returned[0] = feed_share(rings, templates, seconds, 0, stride);
    for (auto& t : threads)
        t.join();
    std::uint64_t total = 0;
    for (const auto r : returned)
        total += r;
    stalled = total == 0;
    return static_cast<double>(total) / seconds;
}

std::atomic<bool> g_forward_stop{false};
// What plain forwarding does to each frame.
enum class ForwardMode {
    io,      // testpmd's "io" mode: touches no frame
    mac,     // testpmd's "mac" mode: swaps the MACs, touching every frame as any router does
    rewrite, // the writes a translation cannot avoid, with no decision: fixed headers of the
             // other family where translation puts them (an IPv4 frame's Ethernet and IPv6
             // headers 20 bytes earlier, an IPv6 frame's Ethernet and IPv4 headers 20 bytes
             // later), and the mbuf's offset and lengths; the frames are not valid packets
};
struct ForwardArg {
    std::uint16_t port, queue;
    ForwardMode mode;
    // Measured as siitd measures its workers (dataplane/busy_clock.hpp).
    std::uint64_t busy_cycles = 0, packets = 0;
};
// Rewrite mode's fixed headers: Ethernet and IPv6 (54 bytes), Ethernet and IPv4 (34 bytes).
alignas(64) constexpr std::uint8_t kRewriteHeaders6[54] = {
    2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x86, 0xdd, 0x60, 0, 0, 0, 0, 30, 17, 63};
alignas(64) constexpr std::uint8_t kRewriteHeaders4[34] = {
    2, 0, 0, 0, 0, 4, 2, 0, 0, 0, 0, 3, 0x08, 0x00, 0x45, 0, 0, 30, 0, 0, 0, 0, 63, 17};

// Plain forwarding, written as siitd's worker loop is: the same burst size, the same prefetching
// (each mbuf header 8 packets ahead, its frame 4 ahead, both for writing), the same accounting.
int plain_forward(void* arg) {
    auto* a = static_cast<ForwardArg*>(arg);
    rte_mbuf* burst[32];
    constexpr std::uint16_t kAhead = 4;
    siitd::BusyClock busy(rte_get_tsc_hz());
    while (!g_forward_stop.load(std::memory_order_relaxed)) {
        const std::uint64_t began = siitd::BusyClock::now();
        const std::uint16_t n = rte_eth_rx_burst(a->port, a->queue, burst, 32);
        busy.received(n, began);
        if (a->mode != ForwardMode::io) {
            for (std::uint16_t i = 0; i < std::min<std::uint16_t>(n, 2 * kAhead); ++i)
                siit::prefetch_for_write(burst[i]);
            for (std::uint16_t i = 0; i < std::min(n, kAhead); ++i)
                siit::prefetch_for_write(rte_pktmbuf_mtod(burst[i], void*));
            for (std::uint16_t i = 0; i < n; ++i) {
                if (i + 2 * kAhead < n) siit::prefetch_for_write(burst[i + 2 * kAhead]);
                if (i + kAhead < n)
                    siit::prefetch_for_write(rte_pktmbuf_mtod(burst[i + kAhead], void*));
                rte_mbuf* m = burst[i];
                auto* eth = rte_pktmbuf_mtod(m, std::uint8_t*);
                if (a->mode == ForwardMode::mac) {
                    std::uint8_t mac[6];
                    std::memcpy(mac, eth, 6);
                    std::memcpy(eth, eth + 6, 6);
                    std::memcpy(eth + 6, mac, 6);
                } else if (load16(eth + 12) == 0x0800) {
                    std::memcpy(eth - 20, kRewriteHeaders6, sizeof kRewriteHeaders6);
                    m->data_off = static_cast<std::uint16_t>(m->data_off - 20);
                    m->data_len = static_cast<std::uint16_t>(m->data_len + 20);
                    m->pkt_len += 20;
                } else {
                    std::memcpy(eth + 20, kRewriteHeaders4, sizeof kRewriteHeaders4);
                    m->data_off = static_cast<std::uint16_t>(m->data_off + 20);
                    m->data_len = static_cast<std::uint16_t>(m->data_len - 20);
                    m->pkt_len -= 20;
                }
            }
        }
        std::uint16_t sent = 0;
        while (sent < n)
            sent += rte_eth_tx_burst(a->port, a->queue, burst + sent, n - sent);
        if (n) {
            a->busy_cycles += busy.poll_done(siitd::BusyClock::now());
            a->packets += n;
        }
    }
    return 0;
}

// The translator alone on this core, the packets in this core's cache: what translation itself
// costs. Each round copies 1024 frames into their buffers first (not timed, and long enough before
// they are read that no load waits on a copy's store), then translates them all (timed).
double translator_ns_per_packet(const std::vector<Frame>& templates, const siitd::Config& config,
                                const TranslationState& eamt) {
    Translator translator(config.translation, eamt.table());
    constexpr std::size_t kBuffers = 1024, kBufferSize = 192, kOffset = 96;
    std::vector<std::uint8_t> buffers(kBuffers * kBufferSize);
    std::vector<PacketBuffer> packets(kBuffers);
    std::uint64_t sink = 0;
    std::chrono::steady_clock::duration timed{};
    constexpr int kRounds = 4000;
    for (int round = 0; round < kRounds; ++round) {
        for (std::size_t i = 0; i < kBuffers; ++i) {
            const Frame& f =
                templates[(static_cast<std::size_t>(round) * kBuffers + i) % templates.size()];
            std::uint8_t* data = buffers.data() + i * kBufferSize + kOffset;
            std::memcpy(data, f.data() + 14, f.size() - 14);
            packets[i] = {data, static_cast<std::uint32_t>(f.size() - 14), kOffset,
                          static_cast<std::uint32_t>(kBufferSize - kOffset - (f.size() - 14))};
        }
        const auto start = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < kBuffers; ++i) {
            PacketBuffer& packet = packets[i];
            const Verdict v = (packet.data[0] >> 4) == 4
                                  ? translator.translate_4to6(packet, nullptr)
                                  : translator.translate_6to4(packet, nullptr);
            sink += static_cast<std::uint64_t>(v.counter) + packet.data[0];
        }
        timed += std::chrono::steady_clock::now() - start;
    }
    const double ns =
        std::chrono::duration<double, std::nano>(timed).count() / (kRounds * double{kBuffers});
    return sink == 0 ? -ns : ns;
}

} // namespace

int main(int argc, char** argv) {
    const double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
    std::string lcores = argc > 2 ? argv[2] : "0-1";
    // EAMT entries: 1 (the default mix), or that many random ones with random traffic over them;
    // "N/32": N single addresses (one prefix length each side) instead of eamt-bench's mix;
    // "hosting": a hosting provider's table (random_eamt.hpp), with Zipf traffic over it.
    const std::string eamt_arg = argc > 4 ? argv[4] : "1";
    const bool hosting = eamt_arg == "hosting";
    std::size_t eamt_entries =
        hosting ? 50200 : std::max<std::size_t>(1, std::strtoull(eamt_arg.c_str(), nullptr, 10));
    const bool singles_only = eamt_arg.ends_with("/32");
    // Extra feeders, one per CPU listed ("9-15" or "9,10"; "none"), beside the main lcore's.
    std::vector<int> feeder_cpus;
    if (argc > 3 && std::strcmp(argv[3], "none") != 0) {
        const std::string list = argv[3];
        for (std::size_t at = 0; at < list.size();) {
            const std::size_t comma = std::min(list.find(',', at), list.size());
            const std::string item = list.substr(at, comma - at);
            const std::size_t dash = item.find('-');
            const int low = std::atoi(item.c_str());
            const int high = dash == std::string::npos ? low : std::atoi(item.c_str() + dash + 1);
            for (int cpu = low; cpu <= high; ++cpu)
                feeder_cpus.push_back(cpu);
            at = comma + 1;
        }
    }
    std::vector<std::string> eal{"dataplane-bench", "-l",          lcores,
                                 "--no-huge",       "-m",          "1024",
                                 "--no-pci",        "--no-shconf", "--log-level=lib.eal:error"};
    // Extra EAL options, e.g. "-d DIR" where DPDK's drivers are not installed
    // (tests/bench/bundle.sh).
    if (const char* extra = std::getenv("DATAPLANE_BENCH_EAL")) {
        std::string word;
        for (const char* c = extra;; ++c) {
            if (*c == ' ' || *c == '\0') {
                if (!word.empty()) eal.push_back(word);
                word.clear();
                if (*c == '\0') break;
            } else {
                word += *c;
            }
        }
    }
    std::vector<char*> eal_argv;
    for (auto& a : eal)
        eal_argv.push_back(a.data());
    if (rte_eal_init(static_cast<int>(eal_argv.size()), eal_argv.data()) < 0) {
        std::fprintf(stderr, "dataplane-bench: rte_eal_init failed\n");
        return 1;
    }
    const unsigned workers = rte_lcore_count() - 1;
    if (workers == 0) {
        std::fprintf(stderr, "dataplane-bench: needs at least two lcores (the main one feeds)\n");
        return 1;
    }
    Rings rings;
    for (unsigned q = 0; q < workers; ++q) {
        rings.rx.push_back(rte_ring_create(("bench_rx" + std::to_string(q)).c_str(), 8192,
                                           SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ));
        rings.tx.push_back(rte_ring_create(("bench_tx" + std::to_string(q)).c_str(), 8192,
                                           SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ));
    }
    const int ring_port = rte_eth_from_rings("bench", rings.rx.data(), workers, rings.tx.data(),
                                             workers, SOCKET_ID_ANY);
    char ring_name[RTE_ETH_NAME_MAX_LEN];
    if (ring_port < 0 ||
        rte_eth_dev_get_name_by_port(static_cast<std::uint16_t>(ring_port), ring_name) != 0) {
        std::fprintf(stderr, "dataplane-bench: rte_eth_from_rings failed\n");
        return 1;
    }

    siitd::Config config;
    siitd::PortConfig port;
    port.name = "ring";
    port.device = ring_name;
    port.rx_queues = static_cast<std::uint16_t>(workers);
    config.ports.push_back(port);
    config.translation.pool6 = *Ipv6Prefix::parse("2001:db8:64::/96");
    // Hairpinning stays on, as RFC 7757 §4.2 and the default have it (intrinsic): every 6->4
    // packet's IPv4 destination is looked up in the EAMT a third time.
    std::mt19937_64 rng(7915);
    bench::BenchTable table;
    if (eamt_entries == 1) {
        config.eamt.push_back(
            {*Ipv4Prefix::parse("198.51.100.0/24"), *Ipv6Prefix::parse("2001:db8:100::/120")});
    } else {
        table = bench::make_bench_table(hosting        ? "hosting"
                                        : singles_only ? "singles"
                                                       : "mix",
                                        eamt_entries, rng);
        config.eamt = table.entries;
        eamt_entries = table.entries.size();
    }
    siitd::RteQsbr qsbr(RTE_MAX_LCORE);
    TranslationState eamt(&qsbr);
    eamt.replace_all(config.translation, config.eamt);
    siitd::Dataplane dataplane(config, eamt, qsbr);
    std::string error;
    if (!dataplane.start(error)) {
        std::fprintf(stderr, "dataplane-bench: %s\n", error.c_str());
        return 1;
    }

    // With a large table, a million frames: their lookups cover the table, not a cached corner.
    const auto templates =
        eamt_entries == 1 ? make_templates() : make_random_templates(table, 1u << 20, rng);
    const unsigned in_flight = kInFlightPerWorker * workers;
    rte_mempool* pool = rte_pktmbuf_pool_create("bench_frames", in_flight * 2, 256, 0,
                                                RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
    auto fill = [&] {
        for (unsigned i = 0; i < in_flight; ++i) {
            rte_mbuf* m = rte_pktmbuf_alloc(pool);
            restore(m, templates[i % templates.size()]);
            rte_ring_enqueue(rings.rx[i % workers], m);
        }
    };
    auto drain = [&] {
        void* obj;
        for (auto* r : rings.rx)
            while (rte_ring_dequeue(r, &obj) == 0)
                rte_pktmbuf_free(static_cast<rte_mbuf*>(obj));
        for (auto* r : rings.tx)
            while (rte_ring_dequeue(r, &obj) == 0)
                rte_pktmbuf_free(static_cast<rte_mbuf*>(obj));
    };

    // Two figures per run. Throughput: what came back to the feeder, which a single feeder core
    // may limit. Busy time: the workers' own TSC cycles per packet in polls that received some,
    // whatever the feeder manages; its inverse is what one core sustains (Mpps/core).
    struct Measured {
        double pps = 0, busy_ns = 0;
        bool stalled = false;
    };
    const double tsc_ns = 1e9 / static_cast<double>(rte_get_tsc_hz());
    std::atomic<bool> stop{false};
    fill();
    dataplane.launch(stop, 0);
    Measured translation;
    translation.pps = feed(rings, templates, seconds, translation.stalled, feeder_cpus);
    stop = true;
    dataplane.wait();
    std::uint64_t translated = 0, dropped = 0, busy = 0, received = 0;
    std::vector<std::uint64_t> drops_by_counter(kCounterCount);
    for (const auto& w : dataplane.stats()) {
        for (std::size_t c = 0; c < kCounterCount; ++c)
            drops_by_counter[c] += w.translator[c];
        translated += w.translator[static_cast<std::size_t>(Counter::translated_4to6_udp)] +
                      w.translator[static_cast<std::size_t>(Counter::translated_6to4_udp)];
        for (std::size_t c = 0; c < kCounterCount; ++c)
            if (counter_name(static_cast<Counter>(c)).starts_with("drop_"))
                dropped += w.translator[c];
        busy += w.shell[static_cast<std::size_t>(siitd::ShellCounter::busy_cycles)];
        received += w.shell[static_cast<std::size_t>(siitd::ShellCounter::rx_packets)];
    }
    translation.busy_ns = static_cast<double>(busy) * tsc_ns / static_cast<double>(received);
    drain();

    std::uint16_t port_id = static_cast<std::uint16_t>(ring_port);
    // Plain forwarding on the same rings with the same feeder: "io" (touches no frame) and "mac"
    // (swaps the MACs of every frame, so its cache lines travel between cores as siitd's do).
    auto forward = [&](ForwardMode mode) {
        fill();
        g_forward_stop = false;
        std::vector<ForwardArg> args(workers);
        unsigned lcore, w = 0;
        RTE_LCORE_FOREACH_WORKER(lcore) {
            args[w] = {port_id, static_cast<std::uint16_t>(w), mode};
            rte_eal_remote_launch(plain_forward, &args[w], lcore);
            ++w;
        }
        Measured m;
        m.pps = feed(rings, templates, seconds, m.stalled, feeder_cpus);
        g_forward_stop = true;
        rte_eal_mp_wait_lcore();
        drain();
        std::uint64_t cycles = 0, packets = 0;
        for (const auto& a : args) {
            cycles += a.busy_cycles;
            packets += a.packets;
        }
        m.busy_ns = static_cast<double>(cycles) * tsc_ns / static_cast<double>(packets);
        return m;
    };
    const Measured io = forward(ForwardMode::io);
    const Measured mac = forward(ForwardMode::mac);
    const Measured rewrite = forward(ForwardMode::rewrite);
    const double alone_ns = translator_ns_per_packet(templates, config, eamt);

    std::printf("siitd data plane benchmark: %u worker core(s), %zu feeder(s), 64-byte frames, UDP "
                "4->6 to EAMT and 6->4 EAMT->pool6 (50/50), %zu EAMT entr%s%s\n",
                workers, feeder_cpus.size() + 1, eamt_entries, eamt_entries == 1 ? "y" : "ies",
                eamt_entries == 1 ? ""
                : hosting      ? " (a hosting provider's: 50 000 /32s and 200 ranges, Zipf traffic)"
                : singles_only ? " (random /32 <-> /128, traffic over all of them)"
                               : " (random, eamt-bench's mix, traffic over all of them)");
    std::printf("                                              throughput     worker busy time    "
                "per core\n");
    auto line = [&](const char* what, const Measured& m) {
        std::printf("  %-41s %6.2f Mpps    %6.1f ns/packet   %6.2f Mpps/core%s\n", what,
                    m.pps / 1e6, m.busy_ns, 1e3 / m.busy_ns, m.stalled ? "  (STALLED)" : "");
    };
    line("translation (siitd worker loop)", translation);
    line("plain forwarding, io mode  (reference)", io);
    line("plain forwarding, mac mode (reference)", mac);
    line("headers rewritten, no translation (floor)", rewrite);
    std::printf(
        "  translation / forwarding, per core (busy time): %.0f%% of io mode, %.0f%% of mac "
        "mode (target: 80%%)\n",
        100.0 * io.busy_ns / translation.busy_ns, 100.0 * mac.busy_ns / translation.busy_ns);
    std::printf("  translation / forwarding, throughput: %.0f%% of io mode, %.0f%% of mac mode\n",
                100.0 * translation.pps / io.pps, 100.0 * translation.pps / mac.pps);
    std::printf("  the floor (fixed headers where translation writes them, no translation), per "
                "core: %.0f%% of mac mode;\n  translation beyond it: %.1f ns/packet\n",
                100.0 * mac.busy_ns / rewrite.busy_ns, translation.busy_ns - rewrite.busy_ns);
    std::printf(
        "  the translator alone, packet in cache (one core, no I/O): %.1f ns/packet (%.1f Mpps)\n",
        alone_ns, 1e3 / alone_ns);
    std::printf("  %llu packets translated in the run, %llu translation drops\n",
                static_cast<unsigned long long>(translated),
                static_cast<unsigned long long>(dropped));
    // Every frame is made to translate: a drop is a bug in the table or in the frames until the
    // counter that took it explains it.
    for (std::size_t c = 0; c < kCounterCount; ++c)
        if (drops_by_counter[c] != 0 && counter_name(static_cast<Counter>(c)).starts_with("drop_"))
            std::printf("    %s: %llu\n",
                        std::string(counter_name(static_cast<Counter>(c))).c_str(),
                        static_cast<unsigned long long>(drops_by_counter[c]));
    std::printf("  (a feeder on the main lcore rewrites and re-feeds every frame, so frames cross "
                "cores, and it\n"
                "   may limit throughput; busy time is each worker's own cost per packet. On this "
                "2-core VM\n"
                "   all figures share the host.)\n");
    dataplane.shutdown();
    rte_eal_cleanup();
    return 0;
}
