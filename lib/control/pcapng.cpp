// pcapng blocks; see pcapng.hpp.
#include "control/pcapng.hpp"

#include <cstring>
#include <functional>

namespace siit::control::pcapng {

namespace {

// Option codes (pcapng §3.5 and each block's section).
constexpr std::uint16_t kEndOfOptions = 0;
constexpr std::uint16_t kComment = 1;
constexpr std::uint16_t kShbUserApplication = 4;
constexpr std::uint16_t kIfName = 2;
constexpr std::uint16_t kIfDescription = 3;
constexpr std::uint16_t kIfTimestampResolution = 9;
constexpr std::uint16_t kEpbFlags = 2;
constexpr std::uint16_t kEpbPacketId = 5;
constexpr std::uint16_t kIsbIfReceived = 4;
constexpr std::uint16_t kIsbOsDropped = 7;
constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;

template <typename T> void put(std::string& out, T value) {
    char bytes[sizeof value];
    std::memcpy(bytes, &value, sizeof value);
    out.append(bytes, sizeof value);
}

void pad4(std::string& out) {
    out.append((4 - out.size() % 4) % 4, '\0');
}

void put_option(std::string& out, std::uint16_t code, std::string_view value) {
    put(out, code);
    put(out, static_cast<std::uint16_t>(value.size()));
    out.append(value);
    pad4(out);
}

template <typename T> void put_option_value(std::string& out, std::uint16_t code, T value) {
    put_option(out, code, std::string_view(reinterpret_cast<const char*>(&value), sizeof value));
}

// A block: its type, total length, the body `fill` writes (padded), the total length again.
void append_block(std::string& out, std::uint32_t type,
                  const std::function<void(std::string&)>& fill) {
    std::string body;
    fill(body);
    pad4(body);
    const auto total = static_cast<std::uint32_t>(body.size() + 12);
    put(out, type);
    put(out, total);
    out += body;
    put(out, total);
}

void end_options(std::string& body) {
    put(body, kEndOfOptions);
    put(body, std::uint16_t{0});
}

void put_timestamp(std::string& body, std::uint64_t timestamp) {
    put(body, static_cast<std::uint32_t>(timestamp >> 32));
    put(body, static_cast<std::uint32_t>(timestamp));
}

template <typename T> T get(std::string_view bytes, std::size_t at) {
    T value;
    std::memcpy(&value, bytes.data() + at, sizeof value);
    return value;
}

// Calls `each(code, value)` for every option from `at` to the block's trailing length; false when
// an option runs past it.
bool for_each_option(std::string_view block, std::size_t at,
                     const std::function<void(std::uint16_t, std::string_view)>& each) {
    const std::size_t end = block.size() - 4;
    while (at + 4 <= end) {
        const auto code = get<std::uint16_t>(block, at);
        const auto length = get<std::uint16_t>(block, at + 2);
        if (code == kEndOfOptions) return true;
        if (at + 4 + length > end) return false;
        each(code, block.substr(at + 4, length));
        at += 4 + (length + 3u) / 4 * 4;
    }
    return at == end;
}

template <typename T> T option_value(std::string_view value) {
    T out{};
    if (value.size() == sizeof out) std::memcpy(&out, value.data(), sizeof out);
    return out;
}

} // namespace

void append_section_header(std::string& out, std::string_view application) {
    append_block(out, kSectionHeader, [&](std::string& body) {
        put(body, kByteOrderMagic);
        put(body, std::uint16_t{1}); // version 1.0
        put(body, std::uint16_t{0});
        put(body, std::int64_t{-1}); // section length: not known (a stream)
        put_option(body, kShbUserApplication, application);
        end_options(body);
    });
}

void append_interface(std::string& out, std::uint16_t linktype, std::uint32_t snaplen,
                      std::string_view name, std::string_view description) {
    append_block(out, kInterfaceDescription, [&](std::string& body) {
        put(body, linktype);
        put(body, std::uint16_t{0});
        put(body, snaplen);
        put_option(body, kIfName, name);
        if (!description.empty()) put_option(body, kIfDescription, description);
        put_option_value(body, kIfTimestampResolution, std::uint8_t{9}); // 10^-9 s
        end_options(body);
    });
}

void append_packet(std::string& out, const Packet& packet) {
    append_block(out, kEnhancedPacket, [&](std::string& body) {
        put(body, packet.interface);
        put_timestamp(body, packet.timestamp_ns);
        put(body, static_cast<std::uint32_t>(packet.data.size()));
        put(body, packet.original_length);
        body.append(packet.data);
        pad4(body);
        if (!packet.comment.empty()) put_option(body, kComment, packet.comment);
        if (packet.direction != Direction::unknown)
            put_option_value(body, kEpbFlags, static_cast<std::uint32_t>(packet.direction));
        if (packet.packet_id) put_option_value(body, kEpbPacketId, *packet.packet_id);
        end_options(body);
    });
}

void append_interface_statistics(std::string& out, const InterfaceStatistics& statistics) {
    append_block(out, kInterfaceStatistics, [&](std::string& body) {
        put(body, statistics.interface);
        put_timestamp(body, statistics.timestamp_ns);
        if (!statistics.comment.empty()) put_option(body, kComment, statistics.comment);
        put_option_value(body, kIsbIfReceived, statistics.received);
        put_option_value(body, kIsbOsDropped, statistics.dropped);
        end_options(body);
    });
}

std::optional<BlockSplitter::Block> BlockSplitter::next() {
    if (error_ || pending() < 12) return std::nullopt;
    const std::string_view rest = std::string_view(pending_).substr(offset_);
    const auto type = get<std::uint32_t>(rest, 0);
    const auto length = get<std::uint32_t>(rest, 4);
    if (!seen_header_ &&
        (type != kSectionHeader || get<std::uint32_t>(rest, 8) != kByteOrderMagic)) {
        error_ = true;
        return std::nullopt;
    }
    if (length < 12 || length % 4 != 0) {
        error_ = true;
        return std::nullopt;
    }
    if (rest.size() < length) return std::nullopt;
    seen_header_ = true;
    Block block{type, std::string(rest.substr(0, length))};
    offset_ += length;
    if (offset_ > 65536) { // keep the buffer short without moving it on every block
        pending_.erase(0, offset_);
        offset_ = 0;
    }
    return block;
}

std::optional<ParsedPacket> parse_packet(std::string_view block) {
    if (block.size() < 32 || get<std::uint32_t>(block, 0) != kEnhancedPacket) return std::nullopt;
    ParsedPacket packet;
    packet.interface = get<std::uint32_t>(block, 8);
    packet.timestamp =
        std::uint64_t{get<std::uint32_t>(block, 12)} << 32 | get<std::uint32_t>(block, 16);
    const auto captured = get<std::uint32_t>(block, 20);
    packet.original_length = get<std::uint32_t>(block, 24);
    const std::size_t options = 28 + (captured + 3u) / 4 * 4;
    if (options + 4 > block.size()) return std::nullopt;
    packet.data = std::string(block.substr(28, captured));
    const bool whole = for_each_option(block, options, [&](std::uint16_t code, std::string_view v) {
        if (code == kComment) packet.comment = std::string(v);
        if (code == kEpbFlags)
            packet.direction = static_cast<Direction>(option_value<std::uint32_t>(v) & 3);
        if (code == kEpbPacketId) packet.packet_id = option_value<std::uint64_t>(v);
    });
    if (!whole) return std::nullopt;
    return packet;
}

std::optional<ParsedInterface> parse_interface(std::string_view block) {
    if (block.size() < 20 || get<std::uint32_t>(block, 0) != kInterfaceDescription)
        return std::nullopt;
    ParsedInterface interface;
    interface.linktype = get<std::uint16_t>(block, 8);
    interface.snaplen = get<std::uint32_t>(block, 12);
    const bool whole = for_each_option(block, 16, [&](std::uint16_t code, std::string_view v) {
        if (code == kIfName) interface.name = std::string(v);
        if (code == kIfDescription) interface.description = std::string(v);
    });
    if (!whole) return std::nullopt;
    return interface;
}

std::optional<InterfaceStatistics> parse_interface_statistics(std::string_view block) {
    if (block.size() < 24 || get<std::uint32_t>(block, 0) != kInterfaceStatistics)
        return std::nullopt;
    InterfaceStatistics statistics;
    statistics.interface = get<std::uint32_t>(block, 8);
    statistics.timestamp_ns =
        std::uint64_t{get<std::uint32_t>(block, 12)} << 32 | get<std::uint32_t>(block, 16);
    const bool whole = for_each_option(block, 20, [&](std::uint16_t code, std::string_view v) {
        if (code == kComment) statistics.comment = std::string(v);
        if (code == kIsbIfReceived) statistics.received = option_value<std::uint64_t>(v);
        if (code == kIsbOsDropped) statistics.dropped = option_value<std::uint64_t>(v);
    });
    if (!whole) return std::nullopt;
    return statistics;
}

} // namespace siit::control::pcapng
