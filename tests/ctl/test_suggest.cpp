// ctl/suggest.cpp: the nearest known word to a mistyped one, and the subcommand a command line
// got wrong.
#include <catch2/catch.hpp>

#include "suggest.hpp"

using namespace siitctl;

TEST_CASE("siitctl suggests the nearest word: a letter missing, extra, wrong or swapped", "[ctl]") {
    const std::vector<std::string> words = {"add", "remove", "list", "replace", "status", "stats"};
    CHECK(closest_word("ad", words) == "add");
    CHECK(closest_word("remvoe", words) == "remove");
    CHECK(closest_word("lst", words) == "list");
    CHECK(closest_word("stauts", words) == "status");
    CHECK(closest_word("stat", words) == "stats");
    CHECK(closest_word("xyz", words).empty());     // nothing near
    CHECK(closest_word("a", {"ab", "b"}).empty()); // one letter is too little to guess from
}

TEST_CASE("siitctl names an unknown subcommand, where it was given, and the nearest", "[ctl]") {
    CLI::App app{"test", "siitctl"};
    std::string socket;
    app.add_option("-s,--socket", socket);
    auto* eamt = app.add_subcommand("eamt");
    eamt->add_subcommand("add");
    eamt->add_subcommand("remove");
    std::string file;
    eamt->add_subcommand("replace")->add_option("FILE", file);
    app.add_subcommand("status");
    const auto message = [&](std::vector<const char*> line) {
        line.insert(line.begin(), "siitctl");
        return unknown_subcommand_message(app, static_cast<int>(line.size()), line.data());
    };
    CHECK(message({"eamt", "ad"}) ==
          "unknown subcommand 'ad' for 'siitctl eamt'; did you mean 'add'? (siitctl eamt --help "
          "lists them)");
    CHECK(message({"-s", "/run/x.sock", "stauts"}) ==
          "unknown subcommand 'stauts' for 'siitctl'; did you mean 'status'? (siitctl --help "
          "lists them)");
    CHECK(message({"frobnicate"}) ==
          "unknown subcommand 'frobnicate' for 'siitctl' (siitctl --help lists them)");
    // Known words, and a command's own arguments, are no mistake of this kind.
    CHECK(message({"eamt", "replace", "ad"}).empty());
    CHECK(message({"--socket=/x", "status"}).empty());
    CHECK(message({"eamt"}).empty());
}
