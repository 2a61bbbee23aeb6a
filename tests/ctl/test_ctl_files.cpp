// ctl/input_file.cpp, ctl/eamt_file.cpp and ctl/tayga_import.cpp: what siitctl reads before it
// sends anything. Only regular files, never beyond the limit; EAMT files in their three formats,
// never empty; tayga.conf as tayga.conf(5) describes it.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "control/translation_input.hpp"
#include "eamt_file.hpp"
#include "input_file.hpp"
#include "jool_import.hpp"
#include "tayga_import.hpp"
#include "temp_dir.hpp"

using nlohmann::json;
using namespace siitctl;

namespace {

std::string refusal(const std::function<void()>& f) {
    try {
        f();
    } catch (const UsageError& e) {
        return e.what();
    }
    return "(accepted)";
}
} // namespace

TEST_CASE("siitctl files: only regular files, and never more than siitd accepts", "[ctl]") {
    TempDir dir("siitctl-files");
    const std::string file = dir.path + "/eamt.txt";
    std::ofstream(file) << "192.0.2.0/24 2001:db8::/120\n";
    CHECK(read_input_file(file, 1000) == "192.0.2.0/24 2001:db8::/120\n");
    CHECK_THAT(refusal([&] { read_input_file(file, 10); }),
               Catch::Contains("more than siitd accepts"));
    CHECK_THAT(refusal([&] { read_input_file(dir.path, 1000); }),
               Catch::Contains("not a regular file (a directory)"));
    CHECK_THAT(refusal([&] { read_input_file("/dev/zero", 1000); }),
               Catch::Contains("not a regular file"));
    const std::string fifo = dir.path + "/fifo";
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    CHECK_THAT(refusal([&] { read_input_file(fifo, 1000); }),
               Catch::Contains("not a regular file"));
    CHECK_THAT(refusal([&] { read_input_file(dir.path + "/absent", 1000); }),
               Catch::Contains("cannot be read"));
}

TEST_CASE("siitctl files: EAMT lists in JSON or lines; an empty one is refused", "[ctl]") {
    const json expected = json::array({{{"ipv4", "192.0.2.0/24"}, {"ipv6", "2001:db8::/120"}}});
    CHECK(parse_eamt_file("# comment\n192.0.2.0/24   2001:db8::/120  # trailing\n\n", "f") ==
          expected);
    CHECK(parse_eamt_file(R"([{"ipv4": "192.0.2.0/24", "ipv6": "2001:db8::/120"}])", "f") ==
          expected);
    CHECK(parse_eamt_file(
              R"({"translation": {"eamt": [{"ipv4": "192.0.2.0/24", "ipv6": "2001:db8::/120"}]}})",
              "f") == expected);
    CHECK_THAT(
        refusal([] { parse_eamt_file("192.0.2.0/24 2001:db8::/120\n10.0.0.0/8\n", "f.txt"); }),
        Catch::Contains("f.txt:2: expected 'IPV4-PREFIX IPV6-PREFIX'"));
    CHECK_THAT(refusal([] { parse_eamt_file("", "e.txt"); }),
               Catch::Contains("e.txt: holds no EAMT entry"));
    CHECK_THAT(refusal([] { parse_eamt_file("# only a comment\n", "e.txt"); }),
               Catch::Contains("holds no EAMT entry"));
    CHECK_THAT(refusal([] { parse_eamt_file("[]", "e.json"); }),
               Catch::Contains("holds no EAMT entry"));
    CHECK_THAT(refusal([] { parse_eamt_file(R"({"eamt": [], "eamt": []})", "t.json"); }),
               Catch::Contains("t.json: eamt: given twice"));
    CHECK_THAT(
        refusal([] { parse_eamt_file(std::string(40, '[') + std::string(40, ']'), "d.json"); }),
        Catch::Contains("nests deeper than 32 levels"));
}

TEST_CASE("siitctl eamt replace names every bad line of a text file by its number, in one pass",
          "[ctl]") {
    const std::string text = "192.0.2.0/24 2001:db8::/120\n"
                             "300.1.1.1 2001:db8:1::/128\n"
                             "# a comment\n"
                             "192.0.2.1/24 2001:db8:2::/120\n"
                             "10.0.0.1 2001:db8:3::/129\n"
                             "10.0.0.2\n"
                             "10.0.0.3 2001:db8:4::/128\n";
    const std::string all = refusal([&] { parse_eamt_file(text, "big.txt"); });
    CHECK(all == "big.txt:2: 300.1.1.1: not an IPv4 address\n"
                 "big.txt:4: 192.0.2.1/24: host bits are set after /24 (the prefix is "
                 "192.0.2.0/24)\n"
                 "big.txt:5: 2001:db8:3::/129: the prefix length must be 0-128\n"
                 "big.txt:6: expected 'IPV4-PREFIX IPV6-PREFIX'");
    // A value that is not text is shown escaped, never as raw bytes, and never stops the reading.
    CHECK(refusal([] { parse_eamt_file("\xff\x1b[2J 2001:db8::/128\n", "x.txt"); }) ==
          "x.txt:1: \"\\ufffd\\u001b[2J\": not an IPv4 address");
    // Many bad lines: the first 20 named, the rest counted.
    std::string many;
    for (int i = 0; i < 25; ++i)
        many += "bad 2001:db8::/128\n";
    const std::string counted = refusal([&] { parse_eamt_file(many, "m.txt"); });
    CHECK_THAT(counted, Catch::Contains("m.txt:20: bad: not an IPv4 address\nm.txt: and 5 more"));
    CHECK_THAT(counted, !Catch::Contains("m.txt:21:"));
}

TEST_CASE("siitctl import-tayga: tayga.conf(5)'s directives become siitd settings", "[ctl]") {
    // Written from tayga.conf(5): the mandatory directives, a prefix, and static maps.
    const std::string conf = R"(# TAYGA for the lab
tun-device nat64
ipv4-addr 192.168.255.1
ipv6-addr 2001:db8:1::2
prefix 2001:db8:1:ffff::/96
map 192.168.5.42 2001:db8:1:4444::1
map 192.168.6.0/24 2001:db8:1:5555::/120   # a whole subnet
data-dir /var/spool/tayga
)";
    std::vector<std::string> warnings, errors;
    const json t = tayga_to_translation(conf, warnings, errors);
    CHECK(errors.empty());
    CHECK(t["pool6"] == "2001:db8:1:ffff::/96");
    CHECK(t["own-ipv4"] == "192.168.255.1");
    CHECK(t["own-ipv6"] == "2001:db8:1::2");
    CHECK(t["eamt"] ==
          json::array({{{"ipv4", "192.168.5.42"}, {"ipv6", "2001:db8:1:4444::1"}},
                       {{"ipv4", "192.168.6.0/24"}, {"ipv6", "2001:db8:1:5555::/120"}}}));
    REQUIRE(warnings.size() == 2);
    CHECK_THAT(warnings[0], Catch::Contains("line 2: tun-device: ignored"));
    CHECK_THAT(warnings[1], Catch::Contains("line 8: data-dir: ignored"));
}

TEST_CASE("siitctl import-tayga: what siitd cannot take is refused, naming the line", "[ctl]") {
    std::vector<std::string> warnings, errors;
    const json t = tayga_to_translation(
        "ipv4-addr 192.0.2.1\ndynamic-pool 192.168.255.0/24\nprefix 64:ff9b::/96\n"
        "prefix 2001:db8::/96\nmap 192.0.2.5\n",
        warnings, errors);
    REQUIRE(errors.size() == 3);
    CHECK_THAT(errors[0], Catch::Contains("line 2: dynamic-pool: siitd is stateless"));
    CHECK_THAT(errors[1], Catch::Contains("line 4: prefix given twice"));
    CHECK_THAT(errors[2], Catch::Contains("line 5: map takes 2 values, not 1"));
    // Without a prefix, pool6 is unset: the file is the whole translator.
    errors.clear();
    const json no_prefix =
        tayga_to_translation("ipv4-addr 192.0.2.1\nmap 192.0.2.5 2001:db8::5\n", warnings, errors);
    CHECK(errors.empty());
    CHECK(no_prefix["pool6"].is_null());
}

TEST_CASE("siitctl import-jool: a Jool SIIT atomic configuration becomes siitd settings", "[ctl]") {
    // Written from Jool 4's documentation of the atomic configuration (`jool_siit file handle`):
    // instance and framework, the globals, the EAMT with its "ipv6 prefix"/"ipv4 prefix" keys and
    // default lengths, denylist4.
    const json jool = json::parse(R"({
      "instance": "default", "framework": "netfilter",
      "global": {"pool6": "64:ff9b:1::/96", "manually-enabled": true,
                 "zeroize-traffic-class": true, "lowest-ipv6-mtu": 1420, "eam-hairpin-mode": 1,
                 "rfc6791v4-prefix": "192.0.2.8/32", "mtu-plateaus": [1500, 1280]},
      "eamt": [{"ipv6 prefix": "2001:db8:a::/120", "ipv4 prefix": "198.51.100.0/24"},
               {"ipv6 prefix": "2001:db8:b::1", "ipv4 prefix": "192.0.2.1"}],
      "denylist4": ["203.0.113.0/24"]
    })");
    std::vector<std::string> warnings, errors;
    json t = jool_to_translation(jool, warnings, errors);
    CHECK(errors.empty());
    CHECK(t["pool6"] == "64:ff9b:1::/96");
    CHECK(t["reset-traffic-class"] == true);
    CHECK(t["lowest-ipv6-mtu"] == 1420);
    CHECK(t["eam-hairpin-mode"] == 1); // Jool's number, which the setting itself takes
    CHECK(t["pool6791v4"] == "192.0.2.8");
    CHECK(t["mtu-plateaus"] == json::array({1500, 1280}));
    CHECK(t["denylist4"] == json::array({"203.0.113.0/24"}));
    CHECK(t["eamt"].size() == 2);
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Catch::Contains("manually-enabled"));

    // Jool's file handle replaces the whole instance: what the file lacks goes back to its
    // default (null), and the one default Jool does not share with siitd is named.
    replace_whole(t, warnings);
    CHECK(t["new-tos"].is_null());
    CHECK(t["own-ipv4"].is_null());
    CHECK(t["lowest-ipv6-mtu"] == 1420); // what the file gave stays
    REQUIRE(warnings.size() == 2);
    CHECK_THAT(warnings[1], Catch::Contains("amend-udp-checksum-zero is not in the file"));
}

namespace {

// Jool's file as siitctl import-jool reads it: Jool's repeatable comments, nothing else twice.
json read_jool(const std::string& text) {
    return parse_json_text(text, "jool.json", kJoolCommentKey);
}

bool has_line(const std::vector<std::string>& lines, const std::string& part) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& line) { return line.find(part) != line.npos; });
}

} // namespace

TEST_CASE("siitctl import-jool: Jool's documented SIIT example imports, and siitd takes the result",
          "[ctl]") {
    // tests/fixtures/jool/atomic-siit.json is the SIIT example of Jool's documentation ("Atomic
    // Configuration"): comments at the top level (twice), in global and as an object inside an
    // EAMT entry; prefixes without a length; mtu-plateaus [1, 2, 3, 4, 5, 6].
    const std::string path = SIIT_FIXTURE_DIR "/jool/atomic-siit.json";
    const json jool = read_jool(read_input_file(path, 1 << 20));
    std::vector<std::string> warnings, errors;
    json t = jool_to_translation(jool, warnings, errors);
    CHECK(errors.empty());
    replace_whole(t, warnings);
    CHECK(t["pool6"] == "64:ff9b::/96");
    CHECK(t["reset-traffic-class"] == true);
    CHECK(t["reset-tos"] == false);
    CHECK(t["new-tos"] == 254);
    CHECK(t["eam-hairpin-mode"] == "simple");
    CHECK(t["pool6791v4"].is_null());
    CHECK(t["eamt"].size() == 3);
    CHECK(t["denylist4"].size() == 3);
    // Plateaus below 68 never are a path's MTU: left out, and said so.
    CHECK(t["mtu-plateaus"] == json::array());
    CHECK(has_line(warnings, "global.mtu-plateaus: 1, 2, 3, 4, 5, 6 left out"));
    CHECK(has_line(warnings, "global.manually-enabled"));
    CHECK(has_line(warnings, "global.randomize-rfc6791-addresses"));
    CHECK_FALSE(has_line(warnings, "comment")); // Jool ignores comments; so does siitctl
    // What siitctl writes from it is a file siitd takes: the checks of siitd --check-config.
    const auto problems = siit::control::check_translation_section(t, "translation.", true);
    CHECK(problems.empty());
    for (const auto& p : problems)
        UNSCOPED_INFO(p);
}

TEST_CASE("siitctl import-jool: only comments repeat; frameworks and entries as Jool takes them",
          "[ctl]") {
    CHECK_NOTHROW(read_jool(R"({"comment": 1, "comment": 2, "global": {"comment": 3,
                                "comment": 4}})"));
    CHECK_THAT(refusal([] { read_jool(R"({"comment": 1, "eamt": [], "eamt": []})"); }),
               Catch::Contains("eamt: given twice"));
    CHECK_THAT(refusal([] { parse_json_text(R"({"comment": 1, "comment": 2})", "x.json"); }),
               Catch::Contains("comment: given twice")); // siitd's own files: nothing repeats

    std::vector<std::string> warnings, errors;
    jool_to_translation(
        read_jool(R"({"framework": "iptables", "global": {"pool6": "64:ff9b::/96"}})"), warnings,
        errors);
    CHECK(errors.empty());
    CHECK(has_line(warnings, "framework iptables: Jool translated only the packets"));
    warnings.clear();
    jool_to_translation(read_jool(R"({"framework": "nftables", "eamt": [{"ipv6 prefix":
        "2001:db8::1", "ipv4 prefix": "192.0.2.1", "mark": 3}]})"),
                        warnings, errors);
    REQUIRE(errors.size() == 2);
    CHECK_THAT(errors[0], Catch::Contains("eamt[0].mark: not part of a Jool EAMT entry"));
    CHECK_THAT(errors[1], Catch::Contains("framework: \"nftables\" is neither"));
}

TEST_CASE("an importer's output is held to siitd's checks before siitctl writes it", "[ctl]") {
    using siit::control::check_translation_section;
    // Each field by its rule, the EAMT as a table (RFC 7757 §3.2), and the rules of a whole
    // version: the reasons siitd --check-config gives, with the field's place in the file.
    const json overlap = {{"pool6", "64:ff9b::/96"},
                          {"eamt",
                           {{{"ipv4", "192.0.2.1/32"}, {"ipv6", "2001:db8::1/128"}},
                            {{"ipv4", "192.0.2.1/32"}, {"ipv6", "2001:db8::2/128"}}}}};
    const auto table = check_translation_section(overlap, "translation.", true);
    REQUIRE(table.size() == 1);
    CHECK_THAT(table[0], Catch::StartsWith("translation.eamt: "));
    const auto field =
        check_translation_section({{"mtu-plateaus", {1500, 20}}}, "translation.", false);
    REQUIRE(field.size() == 1);
    CHECK_THAT(field[0], Catch::StartsWith("translation.mtu-plateaus: every plateau must be"));
    // Nothing to translate is refused as a whole section, not as a change of some keys.
    CHECK_FALSE(
        check_translation_section({{"own-ipv4", "192.0.2.9"}}, "translation.", true).empty());
    CHECK(check_translation_section({{"own-ipv4", "192.0.2.9"}}, "translation.", false).empty());
}
