// siitd as a running daemon: DPDK's EAL, then each part of siitd in the order they depend on one
// another, started in that order and stopped in reverse, whatever stage a start fails at. The
// order is one list of stages in daemon.cpp (each its name, its start and its stop), not
// branches: a new part of siitd is one more row, in the place its dependencies give it.
#pragma once

#include <atomic>
#include <string>

#include "config/config_file.hpp"

namespace siitd {

// What the command line adds to the file (main.cpp parses it).
struct DaemonOptions {
    std::string config_file;
    std::string socket_path;   // --socket: overrides control.socket, on every reload too
    std::string log_level;     // error, warning, info or debug
    unsigned exit_idle_ms = 0; // stop when no packet arrived for this long (0: never)
    bool print_stats = false;  // every counter as one JSON object on stdout at exit
    bool no_control = false;   // no control socket
};

// Runs siitd with `config` (checked already) until `stop` is set (SIGINT, SIGTERM) or, with
// exit_idle_ms, traffic stops; `reload` set (SIGHUP) makes the control worker read the file
// again. Returns the exit status: 0, or 2 when a stage could not start (its reason logged, naming
// the file and the field).
int run_daemon(const Config& config, const DaemonOptions& options, std::atomic<bool>& stop,
               std::atomic<bool>& reload);

} // namespace siitd
