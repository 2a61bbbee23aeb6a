// lib/control/json_rewrite.hpp: a file written again keeps its key order and names what changed.
#include <catch2/catch.hpp>

#include "control/json_rewrite.hpp"

using nlohmann::json;
using siit::control::rewrite_keeping_order;

TEST_CASE("json rewrite: the file's key order stays, new keys come last, changes are named",
          "[json]") {
    const std::string old_text = R"({
  "ports": [{"name": "lan", "device": "net_null0"}],
  "eal": ["--no-pci"],
  "translation": {"pool6": "64:ff9b::/96", "eamt": [{"ipv6": "2001:db8::/120", "ipv4": "192.0.2.0/24"}],
                  "lowest-ipv6-mtu": 1280},
  "metrics": "127.0.0.1:9417"
})";
    const json now = {{"eal", {"--no-pci"}},
                      {"ports", {{{"device", "net_null0"}, {"name", "lan"}}}},
                      {"translation",
                       {{"pool6", "2001:db8:64::/96"},
                        {"eamt", {{{"ipv4", "192.0.2.0/24"}, {"ipv6", "2001:db8::/120"}}}},
                        {"new-tos", 32}}},
                      {"announce-interface", "siitd-up"}};
    const auto rewrite = rewrite_keeping_order(old_text, now);
    CHECK(json::parse(rewrite.text) == now);
    // ports before eal before translation, as the file had them; announce-interface, new, last.
    const auto at = [&](const char* key) { return rewrite.text.find(key); };
    CHECK(at("\"ports\"") < at("\"eal\""));
    CHECK(at("\"eal\"") < at("\"translation\""));
    CHECK(at("\"translation\"") < at("\"announce-interface\""));
    CHECK(at("\"pool6\"") < at("\"eamt\""));
    CHECK(at("\"eamt\"") < at("\"new-tos\""));
    // An entry whose keys came in another order is the same entry: no change named for it.
    CHECK(rewrite.changes == std::vector<std::string>{
                                 "replaced translation.pool6",
                                 "removed translation.lowest-ipv6-mtu", "added translation.new-tos",
                                 "removed metrics", "added announce-interface"});
    CHECK(rewrite.text.back() == '\n');
}

TEST_CASE("json rewrite: no file, or one that is not JSON, is written in the value's own order",
          "[json]") {
    const json now = {{"b", 1}, {"a", {{"c", true}}}};
    const auto fresh = rewrite_keeping_order("", now);
    CHECK(fresh.text == now.dump(2) + "\n");
    CHECK(fresh.changes.empty());
    const auto broken = rewrite_keeping_order("{not json", now);
    CHECK(json::parse(broken.text) == now);
    CHECK(broken.changes == std::vector<std::string>{"replaced the whole file (it was not JSON)"});
    // The same value again: nothing changed, and the text is the same.
    const auto again = rewrite_keeping_order(fresh.text, now);
    CHECK(again.text == fresh.text);
    CHECK(again.changes.empty());
}
