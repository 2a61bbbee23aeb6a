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
