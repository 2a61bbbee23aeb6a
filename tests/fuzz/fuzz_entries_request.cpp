// libFuzzer target: the one-pass reader of a request's EAMT list (lib/control/entries_request.hpp)
// against the strict reader it stands in for. Whatever text it reads, the strict path must read
// with the same fields and the same entries; and it must never crash or throw on any text.
#include <cstdint>
#include <string>

#include "control/entries_request.hpp"
#include "entries_strict.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto read = siit::control::read_entries_request(text);
    if (!read) return 0;
    const auto strict = siit::test::strict_entries_meaning(text);
    if (!strict || strict->rest != read->rest || strict->entries != read->entries) __builtin_trap();
    return 0;
}
