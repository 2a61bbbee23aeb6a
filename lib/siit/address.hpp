// IPv4 and IPv6 addresses and prefixes: the values that the translator and its tables work with.
// Addresses keep network byte order in their bytes, so they are copied to and from packets as is.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace siit {

struct Ipv4Address {
    std::uint32_t value = 0; // host byte order, so that masks and comparisons are plain arithmetic

    static Ipv4Address from_bytes(const std::uint8_t* p);
    void to_bytes(std::uint8_t* p) const;
    static std::optional<Ipv4Address> parse(std::string_view text);
    std::string to_string() const;
    auto operator<=>(const Ipv4Address&) const = default;
};

struct Ipv6Address {
    std::array<std::uint8_t, 16> bytes{}; // network byte order

    static Ipv6Address from_bytes(const std::uint8_t* p) {
        Ipv6Address a;
        std::memcpy(a.bytes.data(), p, 16);
        return a;
    }
    void to_bytes(std::uint8_t* p) const { std::memcpy(p, bytes.data(), 16); }
    static std::optional<Ipv6Address> parse(std::string_view text);
    std::string to_string() const;
    // Bit `index` counted from the most significant bit (0) to the least (127).
    bool bit(unsigned index) const { return (bytes[index / 8] >> (7 - index % 8)) & 1; }
    void set_bit(unsigned index, bool on);
    auto operator<=>(const Ipv6Address&) const = default;
};

struct Ipv4Prefix {
    Ipv4Address address;
    std::uint8_t length = 0; // 0..32

    std::uint32_t mask() const { return length == 0 ? 0 : ~std::uint32_t{0} << (32 - length); }
    bool contains(Ipv4Address a) const { return (a.value & mask()) == address.value; }
    // "192.0.2.0/24"; a bare address means /32. Host bits set after the prefix are refused.
    static std::optional<Ipv4Prefix> parse(std::string_view text);
    std::string to_string() const;
    auto operator<=>(const Ipv4Prefix&) const = default;
};

struct Ipv6Prefix {
    Ipv6Address address;
    std::uint8_t length = 0; // 0..128

    bool contains(const Ipv6Address& a) const;
    // "2001:db8::/32"; a bare address means /128. Host bits set after the prefix are refused.
    static std::optional<Ipv6Prefix> parse(std::string_view text);
    std::string to_string() const;
    auto operator<=>(const Ipv6Prefix&) const = default;
};

// Why `text` is not a prefix of its family, for a person: "not an IPv4 address", "the prefix
// length must be 0-32", or "host bits are set after /24 (the prefix is 192.0.2.0/24)". Empty when
// it is one (as parse() accepts it). The text itself is the caller's to show, once.
std::string ipv4_prefix_problem(std::string_view text);
std::string ipv6_prefix_problem(std::string_view text);

} // namespace siit
