// siitd: the stateless IPv4/IPv6 translator's data plane. Reads its JSON configuration, starts
// DPDK with the EAL options it names, and translates between its ports until SIGINT or SIGTERM;
// SIGHUP reloads the file's translation.
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_pdump.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <systemd/sd-daemon.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "api/control_api.hpp"
#include "api/server.hpp"
#include "capture/capture.hpp"
#include "config/config_file.hpp"
#include "dataplane/dataplane.hpp"
#include "dataplane/rcu_qsbr.hpp"
#include "dataplane/worker.hpp"
#include "kernel/addresses.hpp"
#include "kernel/mirror.hpp"
#include "observe/log_stream.hpp"
#include "observe/metrics_page.hpp"
#include "observe/metrics_server.hpp"
#include "ports/driver_plugins.hpp"
#include "ports/environment.hpp"
#include "siit/translation_state.hpp"

namespace {

// The QSBR reader index of the control socket's thread: past every worker's.
constexpr unsigned kControlReader = RTE_MAX_LCORE - 1;

std::atomic<bool> g_stop{false};
void on_signal(int) {
    g_stop.store(true);
}
// SIGHUP: reload the configuration file (the control thread does it, between requests).
std::atomic<bool> g_reload{false};
void on_reload_signal(int) {
    g_reload.store(true);
}

int log_level_value(const std::string& name) {
    if (name == "error") return RTE_LOG_ERR;
    if (name == "warning") return RTE_LOG_WARNING;
    if (name == "info") return RTE_LOG_INFO;
    return RTE_LOG_DEBUG;
}

// Validates everything that can be validated without DPDK: the file, and the EAMT as a table.
std::optional<siitd::Config> check(const std::string& file) {
    std::vector<std::string> errors;
    auto config = siitd::load_config(file, errors);
    if (config) {
        siit::EamTable::build(config->eamt, errors);
        for (auto& e : errors)
            e = file + ": translation.eamt: " + e;
        // What the ports need from this machine (interfaces, AF_XDP's limits).
        std::vector<std::string> machine, warnings;
        siitd::check_port_environment(*config, machine, warnings);
        for (const auto& e : machine)
            errors.push_back(file + ": ports: " + e);
        for (const auto& e : siitd::missing_driver_plugins(*config, siitd::driver_plugin_dir()))
            errors.push_back(file + ": eal: " + e);
        for (const auto& w : warnings)
            std::cerr << "siitd: warning: " << w << "\n";
    }
    for (const auto& e : errors)
        std::cerr << "siitd: " << e << "\n";
    if (!errors.empty()) return std::nullopt;
    return config;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "siitd: kernel-bypass stateless IPv4/IPv6 translator (RFC 7915, RFC 6052, RFC 7757) on "
        "DPDK.\n"
        "Translates between the ports named in FILE until SIGINT or SIGTERM; the file's \"eal\" "
        "list\n"
        "holds the DPDK EAL options (cores, memory, --vdev devices). Schema: docs/siitd.conf.md.\n"
        "SIGHUP reads FILE again and applies its translation (pool6, settings, EAMT) in one "
        "atomic\n"
        "change, as `siitctl config apply` does; a file that changes anything needing a restart "
        "is\n"
        "refused with the reason and the running version keeps working. Under systemd\n"
        "(Type=notify) siitd reports READY=1 once its ports, kernel interfaces, control socket "
        "and\n"
        "workers run.",
        "siitd"};
    std::string config_file, check_file, log_level = "info";
    unsigned exit_idle_ms = 0;
    bool print_stats = false, no_control = false;
    std::string socket_path;
    app.add_option("-c,--config", config_file, "configuration file (JSON) to run with")
        ->check(CLI::ExistingFile);
    app.add_option("--check-config", check_file,
                   "validate FILE and exit: 0 when valid, 2 with every problem listed")
        ->check(CLI::ExistingFile);
    app.add_option("--log-level", log_level, "error, warning, info or debug (logs go to stderr)")
        ->check(CLI::IsMember({"error", "warning", "info", "debug"}));
    app.add_option(
        "--exit-idle-ms", exit_idle_ms,
        "stop after no packet arrived for this many milliseconds (for replaying pcap files)");
    app.add_flag("--stats-json", print_stats,
                 "print every counter as one JSON object on stdout at exit");
    app.add_option("--socket", socket_path,
                   "control socket path for siitctl (overrides control.socket in FILE; default "
                   "/run/siitd/siitd.sock)");
    app.add_flag("--no-control", no_control,
                 "serve no control socket (replaying pcap files, benchmarks)");
    app.set_version_flag("--version", "siitd " SIITD_VERSION);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help and --version exit 0; any mistake on the command line (a missing file
        // included) exits 2, as a bad file does.
        return app.exit(e) == 0 ? 0 : 2;
    }

    if (!check_file.empty()) {
        const auto config = check(check_file);
        if (!config) return 2;
        std::cout << check_file << ": valid (" << config->ports.size() << " ports, "
                  << config->eamt.size() << " EAMT entries)\n";
        return 0;
    }
    if (config_file.empty()) {
        std::cerr << "siitd: --config FILE is required (see --help)\n";
        return 2;
    }
    auto config = check(config_file);
    if (!config) return 2;
    if (!socket_path.empty()) config->control.socket = socket_path;

    std::vector<std::string> eal_args{"siitd"};
    eal_args.insert(eal_args.end(), config->eal_args.begin(), config->eal_args.end());
    eal_args.push_back("--log-level=" + std::to_string(log_level_value(log_level)));
    std::vector<char*> eal_argv;
    for (auto& a : eal_args)
        eal_argv.push_back(a.data());
    siitd::log_once_to_stderr();
    // DPDK's tap and tun driver learns that a queue has data from a signal, one per packet.
    // Only the workers poll the queues: every other thread blocks it (threads inherit this mask,
    // and the EAL creates its own in rte_eal_init), so that the signal lands on a worker instead
    // of waking an idle thread for every packet (docs/af_xdp.md, "The net_tun path").
    siitd::block_queue_signal();
    if (rte_eal_init(static_cast<int>(eal_argv.size()), eal_argv.data()) < 0) {
        std::cerr << "siitd: " << config_file
                  << ": eal: DPDK refused these EAL options: " << rte_strerror(rte_errno) << "\n";
        return 2;
    }
    // DPDK's capture framework: the stock dpdk-dumpcap (a secondary process) attaches to siitd's
    // ports through it. It costs nothing until a capture starts (its callbacks are installed by
    // the request); it needs the EAL's shared configuration, so not with --in-memory or
    // --no-shconf (docs/operations.md).
    const bool pdump = rte_pdump_init() == 0;
    if (!pdump)
        RTE_LOG(INFO, USER1, "siitd: dpdk-dumpcap cannot attach (%s)\n", rte_strerror(rte_errno));
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    // Without a control thread there is nobody to reload: SIGHUP is then ignored, not fatal.
    std::signal(SIGHUP, no_control ? SIG_IGN : on_reload_signal);

    int rc = 0;
    {
        siitd::RteQsbr qsbr(RTE_MAX_LCORE);
        siit::TranslationState state(&qsbr);
        state.replace_all(config->translation, config->eamt); // validated by check() above
        siitd::Dataplane dataplane(*config, state, qsbr);
        std::string error;
        if (!dataplane.start(error)) {
            std::cerr << "siitd: " << config_file << ": ports: " << error << "\n";
            rc = 2;
        } else if (!siitd::assign_kernel_addresses(*config, error)) {
            std::cerr << "siitd: " << config_file << ": ports: addresses: " << error << "\n";
            rc = 2;
        } else {
            // The kernel as control plane, for ports with a kernel interface.
            std::vector<siitd::MirroredPort> mirrored;
            for (std::size_t i = 0; i < config->ports.size(); ++i)
                if (!config->ports[i].kernel_interface.empty())
                    mirrored.push_back({i, config->ports[i].kernel_interface,
                                        config->ports[i].next_hop.empty()
                                            ? std::nullopt
                                            : std::optional(config->ports[i].next_hop),
                                        dataplane.ports()[i].id,
                                        dataplane.ports()[i].carrier_interface});
            std::unique_ptr<siitd::KernelMirror> mirror;
            if (!mirrored.empty()) {
                mirror = std::make_unique<siitd::KernelMirror>(mirrored, &qsbr);
                if (!mirror->start(error)) {
                    std::cerr << "siitd: " << config_file << ": kernel: " << error << "\n";
                    rc = 2;
                    g_stop.store(true);
                }
                dataplane.set_kernel_mirror(mirror.get());
            }
            // Prometheus's endpoint (`metrics`, off by default), on its own thread. The page learns
            // of the running EAMT from the control thread (below), never from a version itself.
            siitd::MetricsPage metrics_page(dataplane);
            metrics_page.observe(*state.snapshot());
            std::unique_ptr<siitd::MetricsServer> metrics;
            if (config->metrics.kind != siitd::MetricsListen::Kind::off && rc == 0) {
                metrics = std::make_unique<siitd::MetricsServer>(
                    config->metrics, [&metrics_page] { return metrics_page.render(); });
                if (!metrics->start(error)) {
                    std::cerr << "siitd: " << config_file << ": metrics: " << error << "\n";
                    rc = 2;
                    g_stop.store(true);
                } else {
                    RTE_LOG(INFO, USER1, "siitd: metrics on %s (GET /metrics)\n",
                            config->metrics.text.c_str());
                }
            }
            // The control thread only starts once the ports run, and stops before they do.
            // siitctl capture: its sessions, streamed on control connections.
            siitd::Capture capture(dataplane.ports(), dataplane.capture_session(), qsbr);
            std::unique_ptr<siitd::ControlApi> api;
            std::unique_ptr<siitd::ControlServer> server;
            if (!no_control) {
                siitd::ControlServer::Handlers handlers;
                handlers.at_once = [&api](const std::string& request, uid_t uid) {
                    return api->handle_at_once(request, uid);
                };
                handlers.in_turn = [&api](std::string request, uid_t uid) {
                    return api->handle(std::move(request), uid);
                };
                handlers.socket_tick = [&api] { api->poll_links(); };
                // The control worker is the only writer of the translation state: it reloads,
                // and it frees the versions every reader has moved past.
                handlers.worker_tick = [&state, &api, &metrics_page] {
                    if (g_reload.exchange(false)) api->reload();
                    metrics_page.observe(*state.snapshot());
                    state.reclaim(false);
                };
                server = std::make_unique<siitd::ControlServer>(config->control, handlers);
                api = std::make_unique<siitd::ControlApi>(*config, config_file, state, dataplane,
                                                          server->counters());
                api->set_kernel_mirror(mirror.get());
                api->set_capture(&capture, server.get());
                capture.limit_stalls(config->control.client_timeout_ms,
                                     &server->counters().captures_cut_off);
                // The socket thread reads the running version as one more reader, after the
                // workers' indexes.
                api->set_reader(&qsbr, kControlReader);
                api->set_command_line([socket_path](siitd::Config& c) {
                    if (!socket_path.empty()) c.control.socket = socket_path;
                });
                if (!server->start(error)) {
                    std::cerr << "siitd: " << config_file << ": control.socket: " << error << "\n";
                    rc = 2;
                    g_stop.store(true);
                } else {
                    RTE_LOG(INFO, USER1, "siitd: control socket %s\n",
                            config->control.socket.c_str());
                }
            }
            siitd::register_telemetry(dataplane.stats(), dataplane.mempools());
            if (rc == 0) {
                RTE_LOG(INFO, USER1, "siitd: %u worker(s) translating; EAMT %zu entries\n",
                        dataplane.worker_count(), config->eamt.size());
                // systemd (Type=notify): ready once the ports, the kernel interfaces, the control
                // socket and the workers run. Without NOTIFY_SOCKET this does nothing.
                dataplane.run(g_stop, exit_idle_ms, [&] {
                    sd_notifyf(0, "READY=1\nSTATUS=translating; %u worker(s), EAMT %zu entries",
                               dataplane.worker_count(), config->eamt.size());
                });
            }
            sd_notify(0, "STOPPING=1");
            RTE_LOG(INFO, USER1, "siitd: stopping\n");
            // SIGTERM stops siitd within about two seconds, whatever the control worker is doing
            // (a request cannot be interrupted halfway): when it is still busy after one, siitd
            // stops its ports and exits without waiting for it, or destroying what it uses.
            const bool control_stopped = !server || server->stop(std::chrono::milliseconds(1000));
            capture.stop();
            if (!control_stopped) {
                RTE_LOG(WARNING, USER1,
                        "siitd: the control worker is still busy with %s; exiting without it\n",
                        server->busy_with().c_str());
                if (metrics) metrics->stop();
                if (mirror) mirror->stop();
                if (print_stats) std::cout << siitd::stats_json(dataplane.stats()) << std::endl;
                dataplane.shutdown();
                std::fflush(nullptr);
                std::_Exit(rc);
            }
            if (metrics) metrics->stop();
            if (mirror) mirror->stop();
            if (print_stats) std::cout << siitd::stats_json(dataplane.stats()) << std::endl;
            siitd::unregister_telemetry();
        }
        dataplane.shutdown();
        state.reclaim(true);
    }
    if (pdump) rte_pdump_uninit();
    rte_eal_cleanup();
    return rc;
}
