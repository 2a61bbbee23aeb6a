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

#include "siit/bytes.hpp"
#include "siit/eamt.hpp"
#include "siit/translator.hpp"

namespace {

class FuzzEamt final : public siit::EamLookup {
  public:
    siit::EamEntry entry{*siit::Ipv4Prefix::parse("198.51.100.0/24"),
                         *siit::Ipv6Prefix::parse("2001:db8:100::/120")};
    const siit::EamEntry* find4(siit::Ipv4Address a) const override {
        return entry.prefix4.contains(a) ? &entry : nullptr;
    }
    const siit::EamEntry* find6(const siit::Ipv6Address& a) const override {
        return entry.prefix6.contains(a) ? &entry : nullptr;
    }
};

class FuzzAllocator final : public siit::PacketAllocator {
  public:
    std::vector<std::vector<std::uint8_t>> storage;
    std::vector<siit::PacketBuffer> buffers;
    FuzzAllocator() { buffers.reserve(64); }
    siit::PacketBuffer* allocate(std::uint32_t length) override {
        if (buffers.size() == 64) return nullptr;
        storage.emplace_back(length);
        buffers.push_back({storage.back().data(), 0, 0, length});
        return &buffers.back();
    }
};

void check_emitted(const siit::PacketBuffer& p, unsigned expected_version) {
    if (p.length == 0 || (p.data[0] >> 4) != expected_version) __builtin_trap();
    const std::uint32_t declared =
        expected_version == 4 ? siit::load16(p.data + 2) : 40u + siit::load16(p.data + 4);
    if (declared != p.length) __builtin_trap();
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
    config.hairpin_mode = (control & 8) ? siit::HairpinMode::off : siit::HairpinMode::intrinsic;
    config.ipv6_mtu = (control & 16) ? 1280 : 1500;
    config.ipv4_mtu = (control & 32) ? 576 : 1500;
    static const FuzzEamt reference_eamt;
    static const std::unique_ptr<siit::EamTable> production_eamt = [] {
        std::vector<std::string> errors;
        return siit::EamTable::build({reference_eamt.entry}, errors);
    }();
    const bool production = control & 64;
    const siit::EamLookup& eamt =
        production ? static_cast<const siit::EamLookup&>(*production_eamt) : reference_eamt;
    siit::Translator translator(config, &eamt);

    // Exactly the headroom and tailroom the API promises to need, so that overruns are caught.
    std::vector<std::uint8_t> buffer(siit::kRequiredHeadroom + size + siit::kRequiredTailroom);
    std::memcpy(buffer.data() + siit::kRequiredHeadroom, data, size);
    siit::PacketBuffer packet{buffer.data() + siit::kRequiredHeadroom,
                              static_cast<std::uint32_t>(size), siit::kRequiredHeadroom,
                              siit::kRequiredTailroom};
    FuzzAllocator allocator;
    const bool from_ipv4 = control & 1;
    std::vector<std::uint8_t> full_buffer = buffer;
    siit::PacketLookups ahead;
    if (production) {
        translator.prefetch_lookup_slots(packet.data, packet.length);
        translator.look_up_ahead(packet.data, packet.length, ahead);
    }
    const siit::PacketLookups* looked_up = production ? &ahead : nullptr;
    const siit::Verdict verdict = from_ipv4
                                      ? translator.translate_4to6(packet, &allocator, looked_up)
                                      : translator.translate_6to4(packet, &allocator, looked_up);

    siit::Translator full(config, &eamt);
    full.set_fast_path(false);
    siit::PacketBuffer full_packet{full_buffer.data() + siit::kRequiredHeadroom,
                                   static_cast<std::uint32_t>(size), siit::kRequiredHeadroom,
                                   siit::kRequiredTailroom};
    FuzzAllocator full_allocator;
    const siit::Verdict full_verdict = from_ipv4
                                           ? full.translate_4to6(full_packet, &full_allocator)
                                           : full.translate_6to4(full_packet, &full_allocator);
    if (verdict.action != full_verdict.action || verdict.counter != full_verdict.counter ||
        verdict.extra_packets != full_verdict.extra_packets || buffer != full_buffer ||
        packet.data - buffer.data() != full_packet.data - full_buffer.data() ||
        packet.length != full_packet.length || packet.tailroom != full_packet.tailroom ||
        allocator.storage != full_allocator.storage ||
        translator.next_ipv4_id() != full.next_ipv4_id())
        __builtin_trap();
    if (packet.data - packet.headroom != buffer.data() ||
        packet.data + packet.length + packet.tailroom != buffer.data() + buffer.size())
        __builtin_trap();
    switch (verdict.action) {
    case siit::Action::forward:
        check_emitted(packet, from_ipv4 ? 6 : 4);
        break;
    case siit::Action::hairpin:
        check_emitted(packet, 6);
        break;
    case siit::Action::reply:
        check_emitted(packet, from_ipv4 ? 4 : 6);
        break;
    case siit::Action::drop:
        break;
    }
    for (const auto& extra : allocator.buffers)
        check_emitted(extra, 6);
    return 0;
}
