// lib/control/json_input.hpp: the strict JSON reader siitd and siitctl share.
#include <catch2/catch.hpp>

#include "control/json_input.hpp"

using siit::control::json_input_problem;
using siit::control::parse_json_input;

TEST_CASE("json input: nesting is bounded before parsing, at exactly the limit", "[json]") {
    CHECK(parse_json_input(std::string(32, '[') + std::string(32, ']')).value);
    const auto deep = parse_json_input(std::string(33, '[') + std::string(33, ']'));
    CHECK_FALSE(deep.value);
    CHECK(deep.reason == "nests deeper than 32 levels");
    // Brackets inside strings are text, not nesting.
    CHECK(parse_json_input("[\"" + std::string(100, '[') + "\"]").value);
    CHECK_FALSE(parse_json_input(std::string(70000, '{')).value);
}

TEST_CASE("json input: a key given twice is named by its place", "[json]") {
    const auto top = parse_json_input(R"({"a": 1, "a": 2})");
    CHECK_FALSE(top.value);
    CHECK(json_input_problem(top) == "a: given twice (each key may appear once per object)");
    const auto nested = parse_json_input(R"({"x": [1, {"y": 2}, {"z": {"k": 1, "k": 1}}]})");
    CHECK_FALSE(nested.value);
    CHECK(nested.field == "x[2].z.k");
    const auto after_list = parse_json_input(R"({"x": [[1, 2], [3]], "y": {"q": 1, "q": 2}})");
    CHECK(after_list.field == "y.q");
    // Equal keys in sibling objects are fine.
    CHECK(parse_json_input(R"([{"a": 1}, {"a": 2}, {"b": {"a": 3}}])").value);
}

TEST_CASE("json input: a foreign format's repeatable key may repeat, and nothing else", "[json]") {
    const char* text = R"({"comment": "a", "n": 1, "comment": {"x": 1}, "e": [{"comment": 1,
                           "comment": 2}]})";
    CHECK_FALSE(parse_json_input(text).value); // siitd's own files have no repeatable key
    const auto jool = parse_json_input(text, siit::control::kMaxJsonDepth, "comment");
    REQUIRE(jool.value);
    CHECK((*jool.value)["n"] == 1);
    // Every other key is still refused when given twice, however many comments sit beside it.
    const auto twice =
        parse_json_input(R"({"comment": 1, "n": 1, "comment": 2, "n": 2})", 32, "comment");
    CHECK(twice.field == "n");
    // An empty key is a key like any other: it never repeats.
    CHECK_FALSE(parse_json_input(R"({"": 1, "": 2})", 32, "").value);
}

TEST_CASE("json input: malformed text is refused with the parser's reason", "[json]") {
    const auto cut = parse_json_input("{\"a\": ");
    CHECK_FALSE(cut.value);
    CHECK_THAT(cut.reason, Catch::StartsWith("not valid JSON"));
    CHECK(parse_json_input("  {\"a\": [1, 2.5, null, true, \"s\"]}  ").value);
    // A number beyond a double is an error of its own kind in nlohmann::json, refused the same way.
    const auto huge = parse_json_input("[99999e9999990]");
    CHECK_FALSE(huge.value);
    CHECK_THAT(huge.reason, Catch::Contains("number overflow"));
}

TEST_CASE("json input: the value is what nlohmann::json parses, arrays at their exact length",
          "[json]") {
    const char* texts[] = {
        "null",
        "true",
        "-7",
        "18446744073709551615",
        "2.5",
        "\"s\\u00e9\"",
        "[]",
        "{}",
        R"({"a": [1, [2, [3, []]], {"b": [null, false, -1.5e3]}], "c": {"d": {}}, "e": "x"})",
        R"([[1, 2], [], [[], [{}]], {"k": [1, 2, 3]}])",
    };
    for (const char* text : texts) {
        const auto input = parse_json_input(text);
        REQUIRE(input.value);
        CHECK(*input.value == nlohmann::json::parse(text));
        CHECK(input.value->dump() == nlohmann::json::parse(text).dump());
    }
    std::string many = "[";
    for (int i = 0; i < 10000; ++i)
        many += std::to_string(i) + (i + 1 < 10000 ? "," : "]");
    const auto big = parse_json_input(many);
    REQUIRE(big.value);
    CHECK(big.value->size() == 10000);
    // Reserved at its length, not grown by doubling.
    CHECK(big.value->get_ref<const nlohmann::json::array_t&>().capacity() == 10000);
    CHECK((*big.value)[9999] == 9999);
}

TEST_CASE("json input: a syntax error after a repeated key is reported as the syntax error",
          "[json]") {
    const auto both = parse_json_input(R"({"a": 1, "a": 2, )");
    CHECK_FALSE(both.value);
    CHECK_THAT(both.reason, Catch::StartsWith("not valid JSON"));
}
