// siitd's start-up and shutdown order; see daemon.hpp.
#include "daemon.hpp"

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_pdump.h>
#include <systemd/sd-daemon.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

#include "api/control_api.hpp"
#include "api/server.hpp"
#include "capture/capture.hpp"
#include "dataplane/dataplane.hpp"
#include "dataplane/rcu_qsbr.hpp"
#include "dataplane/worker.hpp"
#include "kernel/addresses.hpp"
#include "kernel/mirror.hpp"
#include "observe/announce.hpp"
#include "observe/log_stream.hpp"
#include "observe/metrics_page.hpp"
#include "observe/metrics_server.hpp"
#include "siit/translation_state.hpp"

namespace siitd {

namespace {

// The QSBR reader index of the control socket's thread: past every worker's.
constexpr unsigned kControlReader = RTE_MAX_LCORE - 1;

// SIGTERM stops siitd within about two seconds, whatever the control worker is doing (a request
// cannot be interrupted halfway): the worker gets this long, then siitd goes without it.
constexpr std::chrono::milliseconds kControlPatience{1000};

int log_level_value(const std::string& name) {
    if (name == "error") return RTE_LOG_ERR;
    if (name == "warning") return RTE_LOG_WARNING;
    if (name == "info") return RTE_LOG_INFO;
    return RTE_LOG_DEBUG;
}

// One part of the running daemon. `start` returns false with a reason, which is logged as
// "FILE: FIELD: REASON" with the stage's `field`; `stop` returns false when it could not stop
// cleanly (the control worker still busy), and siitd then exits without destroying anything.
struct Stage {
    const char* field;
    std::function<bool(std::string& error)> start;
    std::function<bool()> stop;
};

// Starts `stages` in order until one fails, runs `serve` when all started, then stops the
// started ones in reverse. Returns the exit status.
int run_stages(const std::string& config_file, std::vector<Stage>& stages,
               const std::function<void()>& serve) {
    int rc = 0;
    std::size_t started = 0;
    for (; started < stages.size(); ++started) {
        std::string error;
        if (stages[started].start && !stages[started].start(error)) {
            std::cerr << "siitd: " << config_file << ": " << stages[started].field << ": " << error
                      << "\n";
            rc = 2;
            break;
        }
    }
    if (rc == 0) serve();
    sd_notify(0, "STOPPING=1");
    RTE_LOG(INFO, USER1, "siitd: stopping\n");
    bool clean = true;
    while (started-- > 0)
        if (stages[started].stop) clean = stages[started].stop() && clean;
    if (!clean) {
        std::fflush(nullptr);
        std::_Exit(rc);
    }
    return rc;
}

// Everything siitd runs once the EAL has started.
int serve(const Config& config, const DaemonOptions& options, std::atomic<bool>& stop,
          std::atomic<bool>& reload) {
    RteQsbr qsbr(RTE_MAX_LCORE);
    siit::TranslationState state(&qsbr);
    state.replace_all(config.translation, config.eamt); // checked before the EAL started
    Dataplane dataplane(config, state, qsbr);
    std::unique_ptr<KernelMirror> mirror;
    MetricsPage metrics_page(dataplane);
    std::unique_ptr<MetricsServer> metrics;
    std::unique_ptr<Capture> capture;
    std::unique_ptr<ControlServer> server;
    std::unique_ptr<ControlApi> api;
    std::unique_ptr<Announcer> announcer;

    std::vector<Stage> stages = {
        // The ports, their queues, mbuf pools and kernel interfaces; the workers are placed.
        {"ports", [&](std::string& error) { return dataplane.start(error); },
         [&] {
             dataplane.shutdown();
             return true;
         }},
        // The counters at exit, before the ports and the workers' counters go.
        {"ports", nullptr,
         [&] {
             if (options.print_stats) std::cout << stats_json(dataplane.stats()) << std::endl;
             return true;
         }},
        // The box's own addresses on its kernel interfaces.
        {"ports: addresses",
         [&](std::string& error) { return assign_kernel_addresses(config, error); }, nullptr},
        // The kernel as control plane, for ports with a kernel interface.
        {"kernel",
         [&](std::string& error) {
             std::vector<MirroredPort> mirrored;
             for (std::size_t i = 0; i < config.ports.size(); ++i)
                 if (!config.ports[i].kernel_interface.empty())
                     mirrored.push_back({i, config.ports[i].kernel_interface,
                                         config.ports[i].next_hop.empty()
                                             ? std::nullopt
                                             : std::optional(config.ports[i].next_hop),
                                         dataplane.ports()[i].id,
                                         dataplane.ports()[i].carrier_interface});
             if (mirrored.empty()) return true;
             mirror = std::make_unique<KernelMirror>(mirrored, &qsbr);
             dataplane.set_kernel_mirror(mirror.get());
             return mirror->start(error);
         },
         [&] {
             if (mirror) mirror->stop();
             return true;
         }},
        // Prometheus's endpoint (`metrics`, off by default), on its own thread. The page learns
        // of the running EAMT from the control worker, never from a version itself.
        {"metrics",
         [&](std::string& error) {
             metrics_page.observe(*state.snapshot());
             if (config.metrics.kind == MetricsListen::Kind::off) return true;
             metrics = std::make_unique<MetricsServer>(
                 config.metrics, [&metrics_page] { return metrics_page.render(); });
             if (!metrics->start(error)) return false;
             RTE_LOG(INFO, USER1, "siitd: metrics on %s (GET /metrics)\n",
                     config.metrics.text.c_str());
             return true;
         },
         [&] {
             if (metrics) metrics->stop();
             return true;
         }},
        // The announce interface, before the control socket that drains through it. Its carrier
        // goes off before the ports stop; for a stop without loss, drain first (deploy/fleet.md).
        {"announce-interface",
         [&](std::string& error) {
             if (config.announce_interface.empty()) return true;
             announcer = std::make_unique<Announcer>(config.announce_interface, dataplane.ports(),
                                                     dataplane.stats());
             if (!announcer->start(error)) return false;
             metrics_page.set_announcer(announcer.get());
             return true;
         },
         [&] {
             if (announcer) announcer->stop();
             return true;
         }},
        // The control socket, once the ports run, and `siitctl capture`'s sessions streamed on
        // its connections. It stops first: nothing changes the running version after it.
        {"control.socket",
         [&](std::string& error) {
             capture =
                 std::make_unique<Capture>(dataplane.ports(), dataplane.capture_session(), qsbr);
             if (options.no_control) return true;
             ControlServer::Handlers handlers;
             handlers.at_once = [&api](const std::string& request, uid_t uid) {
                 return api->handle_at_once(request, uid);
             };
             handlers.in_turn = [&api](std::string request, uid_t uid) {
                 return api->handle(std::move(request), uid);
             };
             handlers.socket_tick = [&api] { api->poll_links(); };
             // The control worker is the only writer of the translation state: it reloads, and
             // it frees the versions every reader has moved past.
             handlers.worker_tick = [&state, &api, &metrics_page, &reload] {
                 if (reload.exchange(false)) api->reload();
                 metrics_page.observe(*state.snapshot());
                 state.reclaim(false);
             };
             server = std::make_unique<ControlServer>(config.control, handlers);
             api = std::make_unique<ControlApi>(config, options.config_file, state, dataplane,
                                                server->counters());
             api->set_kernel_mirror(mirror.get());
             api->set_announcer(announcer.get());
             api->set_capture(capture.get(), server.get());
             capture->limit_stalls(config.control.client_timeout_ms,
                                   &server->counters().captures_cut_off);
             // The socket thread reads the running version as one more reader, after the
             // workers' indexes.
             api->set_reader(&qsbr, kControlReader);
             api->set_command_line([socket = options.socket_path](Config& c) {
                 if (!socket.empty()) c.control.socket = socket;
             });
             if (!server->start(error)) return false;
             RTE_LOG(INFO, USER1, "siitd: control socket %s\n", config.control.socket.c_str());
             return true;
         },
         [&] {
             const bool stopped = !server || server->stop(kControlPatience);
             capture->stop();
             if (!stopped)
                 RTE_LOG(WARNING, USER1,
                         "siitd: the control worker is still busy with %s; exiting without it\n",
                         server->busy_with().c_str());
             return stopped;
         }},
        // DPDK telemetry's /siitd/stats, while the workers' counters exist.
        {"telemetry",
         [&](std::string&) {
             register_telemetry(dataplane.stats(), dataplane.mempools());
             return true;
         },
         [&] {
             unregister_telemetry();
             return true;
         }},
    };
    const int rc = run_stages(options.config_file, stages, [&] {
        RTE_LOG(INFO, USER1, "siitd: %u worker(s) translating; EAMT %zu entries\n",
                dataplane.worker_count(), config.eamt.size());
        // systemd (Type=notify): ready once the ports, the kernel interfaces, the control socket
        // and the workers run. Without NOTIFY_SOCKET this does nothing.
        dataplane.run(stop, options.exit_idle_ms, [&] {
            if (announcer) announcer->set_translating();
            sd_notifyf(0, "READY=1\nSTATUS=translating; %u worker(s), EAMT %zu entries",
                       dataplane.worker_count(), config.eamt.size());
        });
    });
    state.reclaim(true);
    return rc;
}

} // namespace

int run_daemon(const Config& config, const DaemonOptions& options, std::atomic<bool>& stop,
               std::atomic<bool>& reload) {
    std::vector<std::string> eal_args{"siitd"};
    eal_args.insert(eal_args.end(), config.eal_args.begin(), config.eal_args.end());
    eal_args.push_back("--log-level=" + std::to_string(log_level_value(options.log_level)));
    std::vector<char*> eal_argv;
    for (auto& a : eal_args)
        eal_argv.push_back(a.data());
    log_once_to_stderr(log_level_value(options.log_level) == RTE_LOG_INFO);
    // DPDK's tap and tun driver learns that a queue has data from a signal, one per packet.
    // Only the workers poll the queues: every other thread blocks it (threads inherit this mask,
    // and the EAL creates its own in rte_eal_init), so that the signal lands on a worker instead
    // of waking an idle thread for every packet (docs/af_xdp.md, "The net_tun path").
    block_queue_signal();
    if (rte_eal_init(static_cast<int>(eal_argv.size()), eal_argv.data()) < 0) {
        std::cerr << "siitd: " << options.config_file
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
    const int rc = serve(config, options, stop, reload);
    if (pdump) rte_pdump_uninit();
    rte_eal_cleanup();
    return rc;
}

} // namespace siitd
