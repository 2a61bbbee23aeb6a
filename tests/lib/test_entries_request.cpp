// lib/control/entries_request.hpp: the one-pass reader of a request's EAMT list, against the
// strict reader it stands in for.
#include <catch2/catch.hpp>

#include <random>

#include "control/entries_request.hpp"
#include "entries_strict.hpp"

using nlohmann::json;
using siit::control::read_entries_request;

namespace {

const std::string kPlain = R"({"command": "eamt.replace", "version": 1, "entries": [)"
                           R"({"ipv4": "192.0.2.1/32", "ipv6": "2001:db8::1/128"},)"
                           R"({"ipv6": "2001:db8:1::/120", "ipv4": "198.51.100.0/24"}]})";

} // namespace

TEST_CASE("entries request: the plain form is read whole, in order", "[json]") {
    const auto read = read_entries_request(kPlain);
    REQUIRE(read);
    CHECK(read->rest == json({{"command", "eamt.replace"}, {"version", 1}}));
    REQUIRE(read->entries.size() == 2);
    CHECK(read->entries[0].prefix4.to_string() == "192.0.2.1/32");
    CHECK(read->entries[1].prefix6.to_string() == "2001:db8:1::/120");
    const auto strict = siit::test::strict_entries_meaning(kPlain);
    REQUIRE(strict);
    CHECK(strict->entries == read->entries);
    // An empty list is a list.
    const auto empty = read_entries_request(R"({"entries": [], "command": "eamt.add"})");
    REQUIRE(empty);
    CHECK(empty->entries.empty());
}

TEST_CASE("entries request: anything beyond the plain form steps aside for the strict reader",
          "[json]") {
    for (const char* text : {
             R"({"command": "eamt.add"})",                                // no list
             R"({"command": "eamt.add", "entries": {}})",                 // not a list
             R"({"command": "eamt.add", "command": "x", "entries": []})", // a key twice
             R"({"entries": [], "entries": []})",                         // the list twice
             R"({"entries": [{"ipv4": "192.0.2.1/32"}]})",                // one side
             R"({"entries": [{"ipv4": "192.0.2.1/32", "ipv4": "192.0.2.2/32",
                              "ipv6": "2001:db8::1/128"}]})",             // a side twice
             R"({"entries": [{"ipv4": "192.0.2.1/32", "ipv6": "2001:db8::1/128", "x": 1}]})",
             R"({"entries": [{"ipv4": "192.0.2.1/24", "ipv6": "2001:db8::/120"}]})", // host bits
             R"({"entries": [{"ipv4": 1, "ipv6": "2001:db8::1/128"}]})",             // not a string
             R"({"entries": [[]]})",                   // not an object
             R"({"entries": [], "config": {"a": 1}})", // nested value
             R"({"entries": []} x)",                   // trailing text
             R"([{"entries": []}])",                   // not an object
             "{\"entries\": [], \"c\": \"\xff\"}",     // not UTF-8
             R"({"entries": [)",                       // cut short
         }) {
        INFO(text);
        CHECK_FALSE(read_entries_request(text));
    }
    // A NUL byte ends nlohmann's input: what follows it would go unread.
    CHECK_FALSE(read_entries_request(std::string(R"({"entries": []})") + '\0' + "[[[["));
}

TEST_CASE("entries request: whatever it reads, the strict reader reads the same way", "[json]") {
    // Random byte changes to a plain request: each text the one-pass reader takes, the strict
    // path takes with the same command, fields and entries.
    std::mt19937 random(7915);
    const std::string alphabet = "{}[]\",:0123456789abcdef./ \\ipv46entrisx\xc3\xa9";
    unsigned taken = 0, stepped_aside = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string text = kPlain;
        for (int n = 1 + static_cast<int>(random() % 3); n > 0; --n) {
            const std::size_t at = random() % text.size();
            const char c = alphabet[random() % alphabet.size()];
            switch (random() % 3) {
            case 0:
                text[at] = c;
                break;
            case 1:
                text.insert(at, 1, c);
                break;
            default:
                text.erase(at, 1);
            }
        }
        const auto read = read_entries_request(text);
        const auto strict = siit::test::strict_entries_meaning(text);
        INFO(text);
        if (read) {
            ++taken;
            REQUIRE(strict);
            CHECK(read->rest == strict->rest);
            CHECK(read->entries == strict->entries);
        } else {
            ++stepped_aside;
        }
    }
    // Both outcomes were seen, so the comparison compared something.
    CHECK(taken > 100);
    CHECK(stepped_aside > 100);
}
