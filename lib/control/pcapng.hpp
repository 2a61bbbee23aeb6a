// pcapng (draft-ietf-opsawg-pcapng), the capture format siitd writes for `siitctl capture` and
// Wireshark, tshark and dpdk-dumpcap read: the writer siitd uses and the reader that siitctl and
// the tests use. Plain bytes, no DPDK and no libpcap, so that both ends are unit-tested.
//
// Blocks are written in the host's byte order (the Section Header's magic says which) and only
// the four kinds siitd needs: Section Header, Interface Description (one per port), Enhanced
// Packet (with a comment, the direction flags and a packet id that links a packet received with
// what was sent for it) and Interface Statistics (what the capture lost).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace siit::control::pcapng {

inline constexpr std::uint32_t kSectionHeader = 0x0A0D0D0A;
inline constexpr std::uint32_t kInterfaceDescription = 1;
inline constexpr std::uint32_t kInterfaceStatistics = 5;
inline constexpr std::uint32_t kEnhancedPacket = 6;

// Link types (the tcpdump.org registry): what a port's frames start with.
inline constexpr std::uint16_t kLinktypeEthernet = 1;
inline constexpr std::uint16_t kLinktypeRaw = 101; // a bare IPv4 or IPv6 packet (net_tun)

// epb_flags' direction bits (pcapng §4.3.1).
enum class Direction : std::uint8_t { unknown = 0, inbound = 1, outbound = 2 };

void append_section_header(std::string& out, std::string_view application);
// Timestamps in nanoseconds (if_tsresol 9).
void append_interface(std::string& out, std::uint16_t linktype, std::uint32_t snaplen,
                      std::string_view name, std::string_view description);

struct Packet {
    std::uint32_t interface = 0;
    std::uint64_t timestamp_ns = 0; // since the Unix epoch
    std::string_view data;          // the bytes captured (at most the snap length)
    std::uint32_t original_length = 0;
    Direction direction = Direction::unknown;
    std::optional<std::uint64_t> packet_id; // epb_packetid: the same for a packet's halves
    std::string comment;                    // opt_comment; empty: none
};
void append_packet(std::string& out, const Packet& packet);

struct InterfaceStatistics {
    std::uint32_t interface = 0;
    std::uint64_t timestamp_ns = 0;
    std::uint64_t received = 0; // isb_ifrecv: packets captured on the interface
    std::uint64_t dropped = 0;  // isb_osdrop: packets the capture lost (never traffic)
    std::string comment;
};
void append_interface_statistics(std::string& out, const InterfaceStatistics& statistics);

// Cuts a byte stream into whole blocks as it arrives. feed() keeps what is not yet a whole block;
// next() returns the following whole block (its type and all its bytes), or nothing until more
// arrives. A block that cannot be one (a length under 12 or not a multiple of 4, or a first
// block that is not a Section Header in this host's byte order) makes error() true.
class BlockSplitter {
  public:
    void feed(std::string_view bytes) { pending_.append(bytes); }
    struct Block {
        std::uint32_t type;
        std::string bytes;
    };
    std::optional<Block> next();
    bool error() const { return error_; }
    // Bytes received that are not yet a whole block.
    std::size_t pending() const { return pending_.size() - offset_; }

  private:
    std::string pending_;
    std::size_t offset_ = 0;
    bool seen_header_ = false;
    bool error_ = false;
};

// The parts of the blocks that readers check (nothing when the block is malformed).
struct ParsedPacket {
    std::uint32_t interface = 0;
    std::uint64_t timestamp = 0; // in the interface's resolution (siitd's: nanoseconds)
    std::string data;
    std::uint32_t original_length = 0;
    Direction direction = Direction::unknown;
    std::optional<std::uint64_t> packet_id;
    std::string comment;
};
std::optional<ParsedPacket> parse_packet(std::string_view block);
struct ParsedInterface {
    std::uint16_t linktype = 0;
    std::uint32_t snaplen = 0;
    std::string name, description;
};
std::optional<ParsedInterface> parse_interface(std::string_view block);
std::optional<InterfaceStatistics> parse_interface_statistics(std::string_view block);

} // namespace siit::control::pcapng
