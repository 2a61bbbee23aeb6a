// Runs the translator on a byte vector with the headroom and tailroom a DPDK mbuf would give, and
// collects every packet it produces.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "siit/translator.hpp"
#include "translation_run.hpp"

namespace siit::test {

struct Outcome {
    Verdict verdict;
    std::vector<Bytes> packets; // the buffer's packet first, then the extra fragments
};

enum class Direction { from_ipv4, from_ipv6 };

Outcome run_translator(Translator& translator, Direction direction, const Bytes& input);

Bytes from_hex(const std::string& hex);
std::string to_hex(const Bytes& bytes);

} // namespace siit::test
