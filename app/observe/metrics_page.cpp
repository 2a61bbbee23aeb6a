#include "observe/metrics_page.hpp"

#include "observe/announce.hpp"

#include <rte_ethdev.h>
#include <rte_mempool.h>

#include <chrono>
#include <string_view>

#include "control/metrics_text.hpp"
#include "dataplane/dataplane.hpp"
#include "dataplane/stats.hpp"
#include "ports/link.hpp"
#include "siit/translation_state.hpp"

namespace siitd {

namespace {

using siit::control::MetricsText;
using Type = MetricsText::Type;

double unix_now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// A counter's labels beyond its worker, read from its name: the direction (…_4to6_…, …_6to4…) and,
// for what was translated, the protocol, so that PromQL can sum across counters by either.
MetricsText::Labels labels_of(std::string_view counter, unsigned worker) {
    MetricsText::Labels labels{{"worker", std::to_string(worker)}};
    for (const std::string_view direction : {"4to6", "6to4"})
        if (counter.find(direction) != std::string_view::npos)
            labels.emplace_back("direction", std::string(direction));
    if (counter.rfind("translated_", 0) == 0)
        for (const auto& [suffix, protocol] : {std::pair{"_tcp", "tcp"},
                                               {"_udp", "udp"},
                                               {"_icmp_echo", "icmp"},
                                               {"_icmp_error", "icmp"}})
            if (counter.ends_with(suffix)) labels.emplace_back("protocol", protocol);
    return labels;
}

} // namespace

MetricsPage::MetricsPage(const Dataplane& dataplane)
    : dataplane_(dataplane), start_time_unix_(unix_now()) {}

void MetricsPage::observe(const siit::TranslationVersion& version) {
    {
        std::lock_guard lock(mutex_);
        if (version.serial == eamt_version_) return;
    }
    std::lock_guard lock(mutex_);
    eamt_version_ = version.serial;
    eamt_entries_ = version.eamt->size();
    eamt_digest_ = version.eamt->digest();
    eamt_changed_unix_ = unix_now();
}

std::string MetricsPage::render() const {
    MetricsText page;
    page.family("siitd_build_info", Type::gauge, "siitd's version, as a label; the value is 1");
    page.sample("siitd_build_info", {{"version", SIITD_VERSION}}, std::uint64_t{1});
    page.family("siitd_start_time_seconds", Type::gauge, "when siitd started, in Unix time");
    page.sample("siitd_start_time_seconds", {}, start_time_unix_);

    // Every counter, by worker: one family each, its description as HELP.
    const auto& workers = dataplane_.stats();
    std::vector<std::vector<std::pair<std::string, std::uint64_t>>> per_worker;
    for (const WorkerStats& worker : workers)
        per_worker.push_back(sum_stats(std::vector<WorkerStats>{worker}));
    const auto descriptions = counter_descriptions();
    for (std::size_t c = 0; c < descriptions.size(); ++c) {
        const std::string name = "siitd_" + descriptions[c].first + "_total";
        page.family(name, Type::counter, descriptions[c].second);
        for (unsigned w = 0; w < per_worker.size(); ++w)
            if (c < per_worker[w].size())
                page.sample(name, labels_of(descriptions[c].first, w), per_worker[w][c].second);
    }
    page.family("siitd_worker_busy_seconds_per_packet", Type::gauge,
                "a worker's busy time per packet received: from each poll's first receive that "
                "brought packets to its transmit flush (idle polls never count); 0 before its "
                "first packet");
    for (const WorkerPlan& plan : dataplane_.plans())
        if (plan.index < workers.size())
            page.sample(
                "siitd_worker_busy_seconds_per_packet",
                {{"worker", std::to_string(plan.index)}, {"lcore", std::to_string(plan.lcore)}},
                busy_ns_per_packet(workers[plan.index]) / 1e9);

    // The ports: what their drivers count, and their links.
    struct PortCounter {
        const char* name;
        const char* help;
        std::uint64_t rte_eth_stats::*field;
    };
    static constexpr PortCounter kPortCounters[] = {
        {"siitd_port_received_packets_total", "packets the port received",
         &rte_eth_stats::ipackets},
        {"siitd_port_sent_packets_total", "packets the port sent", &rte_eth_stats::opackets},
        {"siitd_port_received_bytes_total", "bytes the port received", &rte_eth_stats::ibytes},
        {"siitd_port_sent_bytes_total", "bytes the port sent", &rte_eth_stats::obytes},
        {"siitd_port_missed_packets_total",
         "packets the port dropped because its RX queues were full (imissed)",
         &rte_eth_stats::imissed},
        {"siitd_port_receive_errors_total", "erroneous packets the port received (ierrors)",
         &rte_eth_stats::ierrors},
        {"siitd_port_send_errors_total", "packets the port failed to send (oerrors)",
         &rte_eth_stats::oerrors},
        {"siitd_port_no_mbuf_total",
         "packets the port dropped for want of an mbuf (rx_nombuf: the pool is too small)",
         &rte_eth_stats::rx_nombuf},
    };
    const auto& ports = dataplane_.ports();
    std::vector<rte_eth_stats> port_stats(ports.size());
    std::vector<bool> port_stats_known(ports.size());
    for (std::size_t i = 0; i < ports.size(); ++i)
        port_stats_known[i] = rte_eth_stats_get(ports[i].id, &port_stats[i]) == 0;
    for (const PortCounter& counter : kPortCounters) {
        page.family(counter.name, Type::counter, counter.help);
        for (std::size_t i = 0; i < ports.size(); ++i)
            if (port_stats_known[i])
                page.sample(counter.name, {{"port", ports[i].display_name()}},
                            port_stats[i].*counter.field);
    }
    std::vector<PortLink> links;
    for (const Port& port : ports)
        links.push_back(read_port_link(port.id, port.carrier_interface));
    page.family("siitd_port_link_up", Type::gauge,
                "1 when the port's link is up (a net_af_packet or net_af_xdp port's: its "
                "interface's carrier)");
    for (std::size_t i = 0; i < ports.size(); ++i)
        if (links[i].known)
            page.sample("siitd_port_link_up", {{"port", ports[i].display_name()}},
                        std::uint64_t{links[i].up});
    page.family("siitd_port_link_speed_bytes_per_second", Type::gauge,
                "the port's link speed (bytes: Prometheus's base unit; 10 Gb/s is 1.25e9), where "
                "its driver knows it");
    for (std::size_t i = 0; i < ports.size(); ++i)
        if (links[i].known && links[i].speed_mbps)
            page.sample("siitd_port_link_speed_bytes_per_second",
                        {{"port", ports[i].display_name()}},
                        std::uint64_t{*links[i].speed_mbps} * 1000000 / 8);

    if (!dataplane_.mempools().empty()) {
        const MbufCounts mbufs = count_mbufs(dataplane_.mempools());
        page.family("siitd_mbufs", Type::gauge,
                    "the mbuf pools (one per NUMA socket with ports): their size, and how many "
                    "are available and in use (in use returns to its idle level when traffic "
                    "stops)");
        page.sample("siitd_mbufs", {{"state", "size"}}, mbufs.size);
        page.sample("siitd_mbufs", {{"state", "available"}}, mbufs.available);
        page.sample("siitd_mbufs", {{"state", "in_use"}}, mbufs.in_use);
    }

    if (const Announcer* announcer = announcer_.load(std::memory_order_acquire)) {
        page.family("siitd_announce_up", Type::gauge,
                    "1 while the announce interface is up: the routing daemon announces the "
                    "pools (translating, every link up, not draining)");
        page.sample("siitd_announce_up", {{"interface", announcer->interface()}},
                    std::uint64_t{announcer->up()});
        page.family("siitd_draining", Type::gauge, "1 while the box drains (siitctl drain)");
        page.sample("siitd_draining", {}, std::uint64_t{announcer->draining()});
    }

    std::lock_guard lock(mutex_);
    page.family("siitd_eamt_entries", Type::gauge, "entries in the running EAMT");
    page.sample("siitd_eamt_entries", {}, eamt_entries_);
    page.family("siitd_eamt_version", Type::gauge,
                "the running translation version: one more at each change");
    page.sample("siitd_eamt_version", {}, eamt_version_);
    page.family("siitd_eamt_info", Type::gauge,
                "the running EAMT's digest, as a label (the same on every box holding the same "
                "entries, whatever their order); the value is 1");
    page.sample("siitd_eamt_info", {{"digest", eamt_digest_}}, std::uint64_t{1});
    page.family("siitd_eamt_last_change_timestamp_seconds", Type::gauge,
                "when siitd started with, or changed to, the running version, in Unix time "
                "(within 100 ms)");
    page.sample("siitd_eamt_last_change_timestamp_seconds", {}, eamt_changed_unix_);
    return page.text();
}

} // namespace siitd
