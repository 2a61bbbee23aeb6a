// siitctl's commands about the running siitd as a whole: its counters, its configuration (show,
// apply, save), what it learned from the kernel, and its version.
#include <cmath>
#include <iostream>

#include "cli.hpp"
#include "input_file.hpp"

namespace siitctl {

using nlohmann::json;

namespace {

// `stats --per-worker`'s workers as a table: a row each, its non-zero counters in the last column.
std::vector<std::vector<std::string>> worker_rows(const nlohmann::json& workers) {
    std::vector<std::vector<std::string>> rows = {
        {"worker", "lcore", "queues", "rx/tx by port", "busy ns/packet", "counters"}};
    for (const auto& w : workers) {
        std::string queues, ports, counters;
        for (const auto& q : w["rx-queues"])
            queues += (queues.empty() ? "" : " ") + q.get<std::string>();
        for (const auto& [port, packets] : w["ports"].items())
            ports += (ports.empty() ? "" : " ") + port + " " + packets["rx"].dump() + "/" +
                     packets["tx"].dump();
        for (const auto& [name, value] : w["counters"].items())
            if (value.get<std::uint64_t>() != 0)
                counters += (counters.empty() ? "" : " ") + name + "=" + value.dump();
        rows.push_back({w["worker"].dump(), w["lcore"].dump(), queues.empty() ? "-" : queues,
                        ports.empty() ? "-" : ports,
                        std::to_string(std::lround(w.value("busy-ns-per-packet", 0.0))),
                        counters.empty() ? "-" : counters});
    }
    return rows;
}

} // namespace

void add_state_commands(Cli& cli) {
    CLI::App& app = cli.app;
    const Options& o = cli.options;
    // counters
    struct Arguments {
        bool reset = false, per_worker = false, all = false, explain = false;
        std::string file;
    };
    auto& arguments = cli.keep<Arguments>();
    bool &reset = arguments.reset, &per_worker = arguments.per_worker, &all = arguments.all,
         &explain = arguments.explain;
    std::string& file = arguments.file;
    auto* stats =
        app.add_subcommand("stats", "print the counters (non-zero ones; --all for every one)");
    stats->add_flag("--reset", reset,
                    "start counting from zero after this read (siitctl's view only: DPDK "
                    "telemetry and --stats-json keep the totals since start)");
    stats->add_flag("--per-worker", per_worker, "also each worker's queues and counters");
    stats->add_flag("-a,--all", all, "include counters that are zero");
    stats->add_flag("-e,--explain", explain, "say what each counter counts");
    cli.on(stats, [&] {
        return request(o,
                       protocol::make_request(protocol::Command::stats,
                                              {{protocol::field::reset, reset},
                                               {protocol::field::per_worker, per_worker},
                                               {protocol::field::explain, explain}}),
                       [&](const json& r) {
                           std::vector<std::vector<std::string>> rows;
                           for (const auto& [k, v] : r["counters"].items())
                               if (all || v.get<std::uint64_t>() != 0)
                                   rows.push_back(
                                       explain ? std::vector<std::string>{k, v.dump(),
                                                                          r["descriptions"].value(
                                                                              k, std::string())}
                                               : std::vector<std::string>{k, v.dump()});
                           for (const auto& [k, v] : r["control"].items())
                               if (all || v.get<std::uint64_t>() != 0)
                                   rows.push_back({"control." + k, v.dump()});
                           if (r.contains("ports"))
                               for (const auto& [port, fields] : r["ports"].items())
                                   for (const auto& [k, v] : fields.items())
                                       if (all || v.get<std::uint64_t>() != 0)
                                           rows.push_back({"port." + port + "." + k, v.dump()});
                           for (const auto& [k, v] : r["state"].items())
                               rows.push_back({"state." + k, v.dump()});
                           if (r.contains("mbufs"))
                               for (const auto& [k, v] : r["mbufs"].items())
                                   rows.push_back({"mbufs." + k, v.dump()});
                           print_table(rows);
                           if (r.contains("workers")) {
                               std::cout << "\n";
                               print_table(worker_rows(r["workers"]));
                           }
                       });
    });

    // the configuration as a whole
    auto* config = app.add_subcommand("config", "the running configuration as a whole");
    config->require_subcommand(1);
    cli.on(config->add_subcommand("show",
                                  "print the running configuration (a file siitd starts from)"),
           [&] {
               return request(o, protocol::make_request(protocol::Command::config_show),
                              [](const json& r) { std::cout << r.dump(2) << "\n"; });
           });
    auto* config_apply = config->add_subcommand(
        "apply", "make FILE's translation settings and EAMT the running ones, in one atomic step "
                 "(ports and EAL options need a restart)");
    config_apply->add_option("FILE", file, "a siitd configuration file")->required();
    cli.on(config_apply, [&] {
        return request(o,
                       protocol::make_request(
                           protocol::Command::config_apply,
                           {{protocol::field::config, read_json_file(file, request_limit(o))}}),
                       [](const json& r) {
                           std::cout << "applied; the EAMT has " << r["entries"] << " entries\n";
                       });
    });
    cli.on(config->add_subcommand("diff", "what the running version has that the file siitd "
                                          "started from does not (unsaved changes)"),
           [&] {
               return request(
                   o, protocol::make_request(protocol::Command::config_diff), [](const json& r) {
                       const std::string file = r["file"].get<std::string>();
                       if (r["differences"].empty())
                           std::cout << "no difference: " << file << " is what siitd runs\n";
                       for (const auto& line : r["differences"])
                           std::cout << line.get<std::string>() << "\n";
                   });
           });
    auto* config_save = config->add_subcommand(
        "save", "write the running configuration where siitd --config reads it (or to FILE, as "
                "seen by siitd)");
    config_save->add_option("FILE", file, "path on siitd's machine");
    cli.on(config_save, [&] {
        json req = protocol::make_request(protocol::Command::config_save);
        if (!file.empty()) req[protocol::field::path] = file;
        return request(o, req, [](const json& r) {
            std::cout << "saved to " << r["path"].get<std::string>() << "\n";
            for (const auto& change : r.value("changes", json::array()))
                std::cout << "  " << change.get<std::string>() << "\n";
        });
    });

    // What siitd learned from the kernel (ports with a kernel interface).
    cli.on(
        app.add_subcommand("status", "what to check first, on one screen: version, uptime, "
                                     "ports, workers' load, the EAMT, unsaved changes, next "
                                     "hops, the drops since the previous status"),
        [&] {
            return request(o, protocol::make_request(protocol::Command::status), [](const json& r) {
                std::cout << "siitd " << r["siitd"].get<std::string>() << ", up "
                          << r["uptime-seconds"].get<long>() << " s\n";
                std::cout << "ports:";
                for (const auto& p : r["ports"])
                    std::cout << " " << p["name"].get<std::string>() << " " << show(p["link"]);
                std::cout << "\nworkers:";
                for (const auto& w : r["workers"])
                    std::cout << " " << w["worker"] << " (lcore " << w["lcore"] << ", "
                              << static_cast<long>(w["busy-ns-per-packet"].get<double>())
                              << " ns/packet busy)";
                const json& e = r["eamt"];
                std::cout << "\nEAMT: " << e["entries"] << " entries, version " << e["version"]
                          << ", digest " << e["digest"].get<std::string>() << "\n";
                const json& unsaved = r["unsaved-changes"];
                std::cout << "unsaved changes: "
                          << (unsaved.is_null()     ? "unknown (the file cannot be read)"
                              : unsaved.get<bool>() ? "yes (siitctl config diff; config save)"
                                                    : "none")
                          << "\nnext hops: " << r["next-hops"]["resolved"] << " resolved, "
                          << r["next-hops"]["unresolved"] << " unresolved\n";
                const json& announce = r["announce"];
                if (!announce.is_null()) {
                    std::cout << "announce: " << announce_text(announce);
                    if (announce["draining"].get<bool>())
                        std::cout << "; draining since "
                                  << announce["draining-since"].get<std::string>() << ", "
                                  << announce["arriving-packets-per-second"]
                                  << " packets/s still arrive for translation";
                    std::cout << "\n";
                }
                const json& drops = r["drops-since-last-look"];
                std::cout << "drops in the last " << drops["seconds"] << " s:";
                if (drops["top"].empty()) std::cout << " none";
                for (const auto& d : drops["top"])
                    std::cout << " " << d["counter"].get<std::string>() << " " << d["grew"];
                std::cout << "\n";
            });
        });
    auto* ports = app.add_subcommand("ports", "each port: driver, device, NUMA socket, MAC, MTU, "
                                              "link, RX queues and their workers");
    auto& with_xstats = cli.keep<bool>();
    ports->add_flag("--xstats", with_xstats, "the driver's extended statistics too");
    cli.on(ports, [&] {
        return request(
            o,
            protocol::make_request(protocol::Command::ports,
                                   {{protocol::field::xstats, with_xstats}}),
            [&](const json& r) {
                std::vector<std::vector<std::string>> rows{{"port", "device", "driver", "numa",
                                                            "mac", "mtu", "link",
                                                            "rx queues (worker)"}};
                for (const auto& p : r) {
                    std::string queues;
                    for (const auto& q : p["rx-queues"])
                        queues += (queues.empty() ? "" : " ") +
                                  std::to_string(q["queue"].get<int>()) + "(" +
                                  std::to_string(q["worker"].get<int>()) + ")";
                    std::string link = show(p["link"]);
                    if (!p["speed-mbps"].is_null())
                        link += " " + std::to_string(p["speed-mbps"].get<unsigned>()) + " Mb/s " +
                                show(p["duplex"]);
                    if (p.value("link-changes", 0) > 0)
                        link += " (changed " + std::to_string(p["link-changes"].get<long>()) +
                                "x, last " + p["link-changed-at"].get<std::string>() + ")";
                    rows.push_back({p["name"].get<std::string>(), p["device"].get<std::string>(),
                                    p["driver"].get<std::string>(),
                                    std::to_string(p["numa-socket"].get<int>()),
                                    p["mac"].get<std::string>(),
                                    std::to_string(p["mtu"].get<int>()), link,
                                    queues.empty() ? "(kernel's)" : queues});
                }
                print_table(rows);
                if (with_xstats)
                    for (const auto& p : r) {
                        std::cout << "\n" << p["name"].get<std::string>() << ":\n";
                        std::vector<std::vector<std::string>> stats;
                        for (const auto& [name, value] : p["xstats"].items())
                            stats.push_back({"  " + name, value.dump()});
                        print_table(stats);
                    }
            });
    });
    cli.on(app.add_subcommand("neighbours", "the kernel's neighbours on siitd's kernel interfaces; "
                                            "next hops marked"),
           [&] {
               return request(
                   o, protocol::make_request(protocol::Command::neighbours), [](const json& r) {
                       std::vector<std::vector<std::string>> rows{
                           {"interface", "address", "MAC", "state", "next hop"}};
                       for (const auto& n : r)
                           rows.push_back(
                               {n["interface"].get<std::string>(), n["address"].get<std::string>(),
                                n["mac"].get<std::string>(), n["state"].get<std::string>(),
                                n["next-hop"].get<bool>() ? "yes" : ""});
                       print_table(rows);
                   });
           });
    cli.on(
        app.add_subcommand("routes", "the kernel's routes through siitd's kernel interfaces"), [&] {
            return request(o, protocol::make_request(protocol::Command::routes), [](const json& r) {
                std::vector<std::vector<std::string>> rows{{"destination", "gateway", "interface"}};
                for (const auto& n : r)
                    rows.push_back({n["destination"].get<std::string>(), show(n["gateway"]),
                                    n["interface"].get<std::string>()});
                print_table(rows);
            });
        });

    cli.on(app.add_subcommand("addresses",
                              "the box's own addresses: what siitd hands to the kernel "
                              "instead of translating"),
           [&] {
               return request(o, protocol::make_request(protocol::Command::addresses),
                              [](const json& r) {
                                  for (const auto& a : r)
                                      std::cout << a.get<std::string>() << "\n";
                              });
           });

    cli.on(app.add_subcommand("version", "print siitd's and the API's versions"), [&] {
        return request(o, protocol::make_request(protocol::Command::version), [](const json& r) {
            std::cout << "siitd " << r["siitd"].get<std::string>() << " (control API " << r["api"]
                      << ")\n";
        });
    });
}

} // namespace siitctl
