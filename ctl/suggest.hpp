// "Did you mean": the nearest known word to one a person mistyped, for siitctl's subcommands and
// setting names, so that a refusal says what to type instead of only what was wrong.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace siitctl {

// The word of `candidates` nearest to `word` by edit distance (insertions, deletions,
// substitutions and swaps of two neighbours), when at most 2 edits and fewer than `word` has
// letters; else "". The first of equally near ones.
std::string closest_word(const std::string& word, const std::vector<std::string>& candidates);

// The first word of a command line that names no subcommand where the command given so far needs
// one, as "unknown subcommand 'ad' for 'siitctl eamt'; did you mean 'add'?"; "" when there is
// none (the mistake is elsewhere, and CLI11 says what it is). Option values are skipped.
std::string unknown_subcommand_message(const CLI::App& app, int argc, const char* const* argv);

} // namespace siitctl
