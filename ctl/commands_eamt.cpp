// siitctl's EAMT commands (RFC 7757): add, remove, list, flush, replace, lookup.
#include <iostream>

#include "cli.hpp"
#include "client.hpp"
#include "eamt_file.hpp"
#include "input_file.hpp"

namespace siitctl {

namespace {

using nlohmann::json;

// "2001:db8::1" is IPv6, "192.0.2.1/24" IPv4.
bool looks_ipv6(const std::string& text) {
    return text.find(':') != std::string::npos;
}

void print_entries(const json& entries) {
    std::vector<std::vector<std::string>> rows{{"IPv4 prefix", "IPv6 prefix"}};
    for (const auto& e : entries)
        rows.push_back({e["ipv4"].get<std::string>(), e["ipv6"].get<std::string>()});
    print_table(rows);
}

void print_lookup(const json& r) {
    std::cout << r["address"].get<std::string>() << " -> "
              << (r["translated"].is_null() ? "(not translatable)"
                                            : r["translated"].get<std::string>());
    const std::string by = r["by"].get<std::string>();
    if (by == "eamt")
        std::cout << "  by EAMT entry " << r["entry"]["ipv4"].get<std::string>() << " "
                  << r["entry"]["ipv6"].get<std::string>();
    else if (by == "pool6")
        std::cout << "  by pool6";
    else if (by == "never-translated")
        std::cout << "  (no router forwards this IPv4 address: never translated)";
    else if (by == "wkp-non-global")
        std::cout << "  (RFC 6052 §3.1: a non-global IPv4 address under 64:ff9b::/96)";
    else if (by == "denylist4")
        std::cout << "  (denylist4 keeps it from pool6)";
    else
        std::cout << "  (no EAMT entry, and not under pool6)";
    std::cout << "\n";
}

} // namespace

void add_eamt_commands(Cli& cli) {
    CLI::App& app = cli.app;
    const Options& o = cli.options;
    auto* eamt = app.add_subcommand("eamt", "the Explicit Address Mapping Table (RFC 7757)");
    eamt->require_subcommand(1);
    struct Arguments {
        std::string v4, v6, address, file;
        std::size_t offset = 0, limit = 0;
    };
    auto& arguments = cli.keep<Arguments>();
    std::string &v4 = arguments.v4, &v6 = arguments.v6, &address = arguments.address,
                &file = arguments.file;
    std::size_t &offset = arguments.offset, &limit = arguments.limit;
    auto* eamt_add = eamt->add_subcommand(
        "add", "map IPV4-PREFIX and IPV6-PREFIX to each other (equal host bits: suffix lengths "
               "must match, RFC 7757 §3.2)");
    eamt_add->add_option("IPV4-PREFIX", v4, "e.g. 192.0.2.0/24 (a bare address is a /32)")
        ->required();
    eamt_add->add_option("IPV6-PREFIX", v6, "e.g. 2001:db8:1::/120 (a bare address is a /128)")
        ->required();
    cli.on(eamt_add, [&] {
        return request(
            o,
            protocol::make_request(protocol::Command::eamt_add,
                                   {{protocol::field::entries, {{{"ipv4", v4}, {"ipv6", v6}}}}}),
            [](const json& r) {
                std::cout << "added; the EAMT has " << r["entries"] << " entries\n";
            });
    });
    auto* eamt_remove = eamt->add_subcommand(
        "remove", "remove the entry with this IPv4 or IPv6 prefix (or exactly this pair)");
    eamt_remove->add_option("PREFIX", v4, "the entry's IPv4 or IPv6 prefix")->required();
    eamt_remove->add_option("IPV6-PREFIX", v6, "with an IPv4 prefix first: remove only this pair");
    cli.on(eamt_remove, [&] {
        json e = json::object();
        e[looks_ipv6(v4) ? "ipv6" : "ipv4"] = v4;
        if (!v6.empty()) e["ipv6"] = v6;
        return request(o,
                       protocol::make_request(protocol::Command::eamt_remove,
                                              {{protocol::field::entries, {e}}}),
                       [](const json& r) {
                           std::cout << "removed; the EAMT has " << r["entries"] << " entries\n";
                       });
    });
    auto* eamt_list = eamt->add_subcommand("list", "print the entries (all of them, page by page)");
    eamt_list->add_option("--offset", offset, "start at this entry (0 is the first)");
    eamt_list->add_option("--limit", limit, "print at most this many (default: all)");
    cli.on(eamt_list, [&] {
        json all = json::array();
        std::size_t at = offset, total = 0;
        do { // pages of up to 10000: siitd never builds one huge reply
            const std::size_t page =
                limit ? std::min<std::size_t>(10000, offset + limit - at) : 10000;
            json result;
            Options quiet = o;
            quiet.json_output = false;
            const int rc = request(quiet,
                                   protocol::make_request(protocol::Command::eamt_list,
                                                          {{protocol::field::offset, at},
                                                           {protocol::field::limit, page}}),
                                   [&](const json& r) { result = r; });
            if (rc != 0) return rc;
            total = result["total"].get<std::size_t>();
            for (const auto& e : result["entries"])
                all.push_back(e);
            at += result["entries"].size();
            if (result["entries"].empty()) break;
        } while (at < total && (!limit || at < offset + limit));
        if (o.json_output)
            std::cout << json{{"total", total}, {"offset", offset}, {"entries", all}}.dump(2)
                      << "\n";
        else if (total == 0)
            std::cout << "(empty)\n";
        else {
            print_entries(all);
            std::cout << "(" << all.size() << " of " << total << " entries)\n";
        }
        return 0;
    });
    cli.on(eamt->add_subcommand("flush", "remove every entry"), [&] {
        return request(o, protocol::make_request(protocol::Command::eamt_flush), [](const json& r) {
            std::cout << "flushed " << r["removed"] << " entries\n";
        });
    });
    auto* eamt_replace = eamt->add_subcommand(
        "replace", "replace the whole table with FILE's, atomically (all or nothing)");
    eamt_replace
        ->add_option("FILE", file,
                     "JSON list of {\"ipv4\": P, \"ipv6\": P}, a siitd configuration "
                     "file, or lines 'IPV4-PREFIX IPV6-PREFIX' ('-': standard input)")
        ->required();
    cli.on(eamt_replace, [&] {
        const auto done = [](const json& r) {
            std::cout << "replaced; the EAMT has " << r["entries"] << " entries\n";
        };
        const std::string text = read_input_file(file, request_limit(o));
        if (!is_eamt_lines(text))
            return request(
                o,
                protocol::make_request(protocol::Command::eamt_replace,
                                       {{protocol::field::entries, parse_eamt_file(text, file)}}),
                done);
        // Text lines, a million of them perhaps: checked whole first, then streamed into the
        // request a piece at a time, never held as JSON (siitctl stays small).
        check_eamt_lines(text, file);
        const json reply = call_with_list(
            o.socket, protocol::make_request(protocol::Command::eamt_replace),
            protocol::field::entries,
            [&](const Writer& write) {
                std::string piece;
                bool first = true;
                for_each_eamt_line(text, [&](std::string_view v4, std::string_view v6) {
                    // Checked prefixes: nothing in them needs escaping.
                    piece += first ? "{\"ipv4\":\"" : ",{\"ipv4\":\"";
                    piece += v4;
                    piece += "\",\"ipv6\":\"";
                    piece += v6;
                    piece += "\"}";
                    first = false;
                    if (piece.size() >= 65536) {
                        write(piece);
                        piece.clear();
                    }
                });
                write(piece);
            },
            o.timeout_ms);
        return answer(o, reply, done);
    });
    auto lookup_action = [&] {
        return request(o,
                       protocol::make_request(protocol::Command::eamt_lookup,
                                              {{protocol::field::address, address}}),
                       print_lookup);
    };
    auto* eamt_lookup =
        eamt->add_subcommand("lookup", "what ADDRESS translates to, and by which entry (or pool6)");
    eamt_lookup->add_option("ADDRESS", address, "an IPv4 or IPv6 address")->required();
    cli.on(eamt_lookup, lookup_action);
    auto* lookup = app.add_subcommand("lookup", "the same as `eamt lookup`");
    lookup->add_option("ADDRESS", address, "an IPv4 or IPv6 address")->required();
    cli.on(lookup, lookup_action);
}

} // namespace siitctl
