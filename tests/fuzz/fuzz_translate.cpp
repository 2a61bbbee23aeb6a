// libFuzzer target: any bytes, either direction, a few settings flipped by the first byte. The
// translator must never read or write outside its buffer (AddressSanitizer), never hit undefined
// behaviour (UBSan), and whatever it emits must be a well-formed packet of the family it claims.
// The same input also goes through the full translation alone (fast path off): both must leave
// the same bytes, bookkeeping and verdict (lib/siit/fast_path.cpp). With the production table, the
// first translation takes its EAMT lookups made ahead, as a worker does for a large table.
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "linear_eamt.hpp"
#include "siit/bytes.hpp"
#include "siit/eamt.hpp"
#include "siit/translator.hpp"
#include "translation_run.hpp"

namespace {

// The fuzzed translations' one EAM, in the reference table and in the production one.
const siit::EamEntry kFuzzEam{*siit::Ipv4Prefix::parse("198.51.100.0/24"),
                              *siit::Ipv6Prefix::parse("2001:db8:100::/120")};

void check_emitted(const std::uint8_t* p, std::uint32_t length, unsigned expected_version) {
    if (length == 0 || (p[0] >> 4) != expected_version) __builtin_trap();
    const std::uint32_t declared =
        expected_version == 4 ? siit::load16(p + 2) : 40u + siit::load16(p + 4);
    if (declared != length) __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::uint8_t control = data[0];
    ++data;
    --size;

    siit::TranslatorConfig config;
    config.pool6 =
        *siit::Ipv6Prefix::parse((control & 2) ? "2001:db8:122:344::/64" : "64:ff9b::/96");
    config.amend_udp_checksum_zero = control & 4;
    // Every hairpinning mode: off and simple share bit 3, told apart by bit 7.
    config.hairpin_mode = !(control & 8)    ? siit::HairpinMode::intrinsic
                          : (control & 128) ? siit::HairpinMode::simple
                                            : siit::HairpinMode::off;
    const siit::LinkMtus mtus{(control & 16) ? 1280u : 1500u, (control & 32) ? 576u : 1500u};
    static const siit::test::LinearEamt reference_eamt = [] {
        siit::test::LinearEamt t;
        t.entries = {kFuzzEam};
        return t;
    }();
    static const std::unique_ptr<siit::EamTable> production_eamt = [] {
        std::vector<std::string> errors;
        return siit::EamTable::build({kFuzzEam}, errors);
    }();
    const bool production = control & 64;
    const siit::EamLookup& eamt =
        production ? static_cast<const siit::EamLookup&>(*production_eamt) : reference_eamt;
    siit::Translator translator(config, &eamt, mtus);

    // Exactly the headroom and tailroom the API promises to need, so that overruns are caught.
    const bool from_ipv4 = control & 1;
    const siit::test::TranslationRun run =
        siit::test::run_translation(translator, from_ipv4, data, size, siit::kRequiredHeadroom,
                                    siit::kRequiredTailroom, std::nullopt, production);
    siit::Translator full(config, &eamt, mtus);
    full.set_fast_path(false);
    const siit::test::TranslationRun full_run = siit::test::run_translation(
        full, from_ipv4, data, size, siit::kRequiredHeadroom, siit::kRequiredTailroom);
    if (!siit::test::same_outcome(run, full_run) || !run.bookkeeping_in_buffer) __builtin_trap();
    const std::uint8_t* packet = run.buffer.data() + run.data_offset;
    switch (run.verdict.action) {
    case siit::Action::forward:
        check_emitted(packet, run.packet.length, from_ipv4 ? 6 : 4);
        break;
    case siit::Action::hairpin:
        check_emitted(packet, run.packet.length, 6);
        break;
    case siit::Action::reply:
        check_emitted(packet, run.packet.length, from_ipv4 ? 4 : 6);
        break;
    case siit::Action::drop:
        break;
    }
    for (const auto& extra : run.extra)
        check_emitted(extra.data(), static_cast<std::uint32_t>(extra.size()), 6);
    return 0;
}
