// lib/siit/problem_cap.hpp: a refusal lists 100 problems of a list, then counts the rest.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "siit/eamt.hpp"
#include "siit/problem_cap.hpp"

TEST_CASE("problem cap: 100 problems listed, the rest counted in one last line", "[problems]") {
    std::vector<std::string> out;
    int made = 0;
    {
        siit::ProblemCap problems(out);
        for (int i = 0; i < 1000; ++i)
            problems.add_made([&] {
                ++made;
                return "problem " + std::to_string(i);
            });
        CHECK(problems.any());
    }
    REQUIRE(out.size() == 101);
    CHECK(out.front() == "problem 0");
    CHECK(out[99] == "problem 99");
    CHECK(out.back() == "and 900 more problems");
    CHECK(made == 100); // the text of what is only counted is never made
}

TEST_CASE("problem cap: a short list is listed whole, with no count line", "[problems]") {
    std::vector<std::string> out;
    {
        siit::ProblemCap problems(out);
        CHECK_FALSE(problems.any());
        problems.add("one");
    }
    CHECK(out == std::vector<std::string>{"one"});
}

TEST_CASE("problem cap: an EAMT of a thousand conflicts is refused listing 100 of them",
          "[problems]") {
    std::vector<siit::EamEntry> entries;
    for (unsigned i = 0; i < 1001; ++i)
        entries.push_back(
            {*siit::Ipv4Prefix::parse("192.0.2.1/32"),
             *siit::Ipv6Prefix::parse("2001:db8::" + std::to_string(i + 1) + "/128")});
    std::vector<std::string> errors;
    CHECK_FALSE(siit::EamTable::build(entries, errors));
    REQUIRE(errors.size() == 101);
    CHECK(errors.back() == "and 900 more problems");
}
