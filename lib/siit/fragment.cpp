// IPv6 fragmentation of translated IPv4 packets; see fragment.hpp.
#include "siit/fragment.hpp"

#include <algorithm>
#include <cstring>

#include "siit/bytes.hpp"
#include "siit/headers.hpp"

namespace siit::detail {

std::uint16_t split_into_ipv6_fragments(PacketBuffer& packet, std::uint32_t limit,
                                        PacketAllocator* allocator, bool& ok) {
    constexpr std::uint32_t kHeaders = kIpv6HeaderSize + kFragmentHeaderSize;
    std::uint8_t* headers = packet.data;
    const std::uint32_t payload = packet.length - kHeaders;
    // Every fragment but the last carries a multiple of 8 bytes (RFC 8200 §4.5).
    const std::uint32_t chunk = ((limit - kHeaders) / 8) * 8;
    const std::uint16_t offset_flags = load16(headers + kIpv6HeaderSize + 2);
    const std::uint32_t base_offset = offset_flags & 0xfff8u;
    const bool last_has_more = offset_flags & 1;

    std::uint16_t extra = 0;
    ok = true;
    for (std::uint32_t start = chunk; start < payload; start += chunk) {
        const std::uint32_t size = std::min(chunk, payload - start);
        PacketBuffer* allocated = allocator ? allocator->allocate(kHeaders + size) : nullptr;
        if (!allocated) {
            ok = false;
            return extra;
        }
        PacketBuffer& fragment = *allocated;
        std::memcpy(fragment.data, headers, kHeaders);
        std::memcpy(fragment.data + kHeaders, headers + kHeaders + start, size);
        fragment.length = kHeaders + size;
        store16(fragment.data + 4, static_cast<std::uint16_t>(kFragmentHeaderSize + size));
        const bool more = start + size < payload || last_has_more;
        store16(fragment.data + kIpv6HeaderSize + 2,
                static_cast<std::uint16_t>((base_offset + start) | (more ? 1 : 0)));
        ++extra;
    }
    // The first fragment keeps the original offset and, since more follow, M=1.
    store16(headers + 4, static_cast<std::uint16_t>(kFragmentHeaderSize + chunk));
    store16(headers + kIpv6HeaderSize + 2, static_cast<std::uint16_t>(base_offset | 1));
    packet.tailroom += packet.length - (kHeaders + chunk);
    packet.length = kHeaders + chunk;
    return extra;
}

} // namespace siit::detail
