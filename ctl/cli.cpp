// What siitctl's command groups share; see cli.hpp.
#include "cli.hpp"

#include <iostream>

#include "client.hpp"

namespace siitctl {

using nlohmann::json;

std::string show(const json& value) {
    return value.is_string() ? value.get<std::string>()
           : value.is_null() ? "(unset)"
                             : value.dump();
}

std::string announce_text(const json& announce) {
    std::string text =
        announce["interface"].get<std::string>() + " " + announce["state"].get<std::string>();
    if (!announce["down-because"].is_null())
        text += " (" + announce["down-because"].get<std::string>() + ")";
    return text;
}

void print_table(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths;
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size(); ++i) {
            widths.resize(std::max(widths.size(), row.size()));
            widths[i] = std::max(widths[i], row[i].size());
        }
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i)
            std::cout << (i ? "  " : "")
                      << (i + 1 < row.size()
                              ? std::string(row[i]).append(widths[i] - row[i].size(), ' ')
                              : row[i]);
        std::cout << "\n";
    }
}

// Sends one request; prints the result (JSON with --json, else through `human`) or the refusal.
int request(const Options& o, const json& req, const std::function<void(const json&)>& human) {
    return answer(o, call(o.socket, req, o.timeout_ms), human);
}

int answer(const Options& o, const json& reply, const std::function<void(const json&)>& human) {
    if (!reply.value("ok", false)) {
        if (o.json_output) {
            std::cout << reply.dump(2) << "\n";
        } else {
            std::cerr << "siitctl: siitd refused: " << reply.value("error", "(no reason given)")
                      << "\n";
            if (reply.contains("errors"))
                for (const auto& e : reply["errors"])
                    std::cerr << "  " << e.get<std::string>() << "\n";
        }
        return kExitRefused;
    }
    const json& result = reply.contains("result") ? reply["result"] : json();
    if (o.json_output)
        std::cout << result.dump(2) << "\n";
    else
        human(result);
    return 0;
}

std::size_t request_limit(const Options& o) {
    const json reply =
        call(o.socket, protocol::make_request(protocol::Command::version), o.timeout_ms);
    const json result = reply.value("result", json::object());
    return result.is_object() && result.contains("max-message-bytes") &&
                   result["max-message-bytes"].is_number_unsigned()
               ? result["max-message-bytes"].get<std::size_t>()
               : std::size_t{64} << 20; // siitd's default
}

std::function<int()> Cli::simple(protocol::Command command, json extra) const {
    const Options* o = &options;
    return [o, command, extra] {
        return request(*o, protocol::make_request(command, extra), [](const json& r) {
            if (r.is_object() && r.contains("changed"))
                std::cout << "done: " << r["changed"].dump() << " changed\n";
            else
                std::cout << show(r) << "\n";
        });
    };
}

} // namespace siitctl
