// siitd: the stateless IPv4/IPv6 translator's data plane. Parses the command line, checks the
// configuration file (all of --check-config), and hands it to the daemon (daemon.hpp), which
// starts DPDK and every part of siitd in order and translates until SIGINT or SIGTERM; SIGHUP
// reloads the file's translation.
#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <iostream>

#include "config/config_file.hpp"
#include "daemon.hpp"
#include "observe/log_stream.hpp"
#include "ports/driver_plugins.hpp"
#include "ports/environment.hpp"
#include "siit/eamt.hpp"

namespace {

std::atomic<bool> g_stop{false};
void on_signal(int) {
    g_stop.store(true);
}
// SIGHUP: reload the configuration file (the control thread does it, between requests).
std::atomic<bool> g_reload{false};
void on_reload_signal(int) {
    g_reload.store(true);
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
            std::cerr << siitd::journal_priority(4) << "siitd: warning: " << w << "\n";
    }
    for (const auto& e : errors)
        std::cerr << siitd::journal_priority(3) << "siitd: " << e << "\n";
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

    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    // Without a control thread there is nobody to reload: SIGHUP is then ignored, not fatal.
    std::signal(SIGHUP, no_control ? SIG_IGN : on_reload_signal);
    const siitd::DaemonOptions options{config_file,  socket_path, log_level,
                                       exit_idle_ms, print_stats, no_control};
    return siitd::run_daemon(*config, options, g_stop, g_reload);
}
