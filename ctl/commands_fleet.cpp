// siitctl's commands about the box's place in a fleet (deploy/fleet.md): drain, which withdraws
// the box's announcements through its announce interface while it goes on translating, and waits
// (--wait) until the traffic has moved to the other boxes.
#include <chrono>
#include <iostream>
#include <thread>

#include "cli.hpp"
#include "client.hpp"

namespace siitctl {

using nlohmann::json;

namespace {

// How often --wait reads the arrival rate. The first reading that counts comes a whole rate
// window (protocol::kArrivalRateWindow) after the drain began.
constexpr std::chrono::milliseconds kPollInterval{200};

void print_drain_state(const json& announce) {
    const bool draining = announce["draining"].get<bool>();
    std::cout << (draining ? "draining since " + announce["draining-since"].get<std::string>()
                           : std::string("not draining"))
              << ": announce interface " << announce_text(announce) << "; "
              << announce["arriving-packets-per-second"] << " packets/s arrive for translation\n";
}

// Polls `status` until the arrival rate is at most `until` packets per second, measured wholly
// after the drain began; prints the rate each second. Returns the exit status.
int wait_for_traffic_to_move(const Options& o, std::uint64_t until, double timeout_seconds) {
    const auto began = std::chrono::steady_clock::now();
    auto next_report = began;
    for (;;) {
        std::this_thread::sleep_for(kPollInterval);
        const json reply =
            call(o.socket, protocol::make_request(protocol::Command::status), o.timeout_ms);
        if (!reply.value("ok", false)) return answer(o, reply, [](const json&) {});
        const json& announce = reply["result"]["announce"];
        if (announce.is_null() || !announce["draining"].get<bool>()) {
            std::cerr << "siitctl: the drain ended while waiting (siitctl drain --end, or siitd "
                         "restarted)\n";
            return kExitRefused;
        }
        const auto rate = announce["arriving-packets-per-second"].get<std::uint64_t>();
        const auto now = std::chrono::steady_clock::now();
        const double waited = std::chrono::duration<double>(now - began).count();
        if (now - began >= protocol::kArrivalRateWindow && rate <= until) {
            if (o.json_output)
                std::cout << announce.dump(2) << "\n";
            else
                std::cout << "drained after " << waited << " s: " << rate
                          << " packets/s arrive for translation\n";
            return 0;
        }
        if (waited >= timeout_seconds) {
            std::cerr << "siitctl: still " << rate << " packets/s arrive for translation after "
                      << waited << " s (is the routing daemon's configuration tied to "
                      << announce["interface"].get<std::string>() << "? deploy/fleet.md)\n";
            return kExitNotDrained;
        }
        if (!o.json_output && now >= next_report) {
            std::cout << rate << " packets/s arrive for translation\n" << std::flush;
            next_report = now + std::chrono::seconds(1);
        }
    }
}

} // namespace

void add_fleet_commands(Cli& cli) {
    struct Arguments {
        bool end = false, wait = false, if_announcing = false;
        std::uint64_t until = 0;
        double timeout = 60;
    };
    auto& a = cli.keep<Arguments>();
    auto* drain = cli.app.add_subcommand(
        "drain", "take this box out of its fleet without loss: its announce interface goes "
                 "down, the routing daemon withdraws the pools, and siitd goes on translating "
                 "what still arrives (deploy/fleet.md); --end brings it back");
    auto* end = drain->add_flag("--end", a.end,
                                "end the drain: the announce interface comes back up (a "
                                "restart ends it too)");
    auto* wait =
        drain->add_flag("--wait", a.wait,
                        "then wait until no more than --until packets per second arrive for "
                        "translation (measured over a second, after the drain began)");
    drain->add_option("--until", a.until, "the rate --wait waits for")
        ->default_val(0)
        ->check(CLI::NonNegativeNumber);
    drain
        ->add_option("--timeout", a.timeout,
                     "seconds --wait waits at most; then exit status 4, still draining")
        ->default_val(60)
        ->check(CLI::PositiveNumber);
    drain->add_flag("--if-announcing", a.if_announcing,
                    "do nothing, successfully, when siitd has no announce-interface (the unit's "
                    "ExecStop: a box outside a fleet stops as before)");
    end->excludes(wait);
    cli.on(drain, [&cli, &a] {
        const Options& o = cli.options;
        const int rc = request(
            o,
            protocol::make_request(protocol::Command::drain, {{protocol::field::draining, !a.end}}),
            print_drain_state);
        if (rc != 0 || !a.wait) return rc;
        return wait_for_traffic_to_move(o, a.until, a.timeout);
    });
}

} // namespace siitctl
