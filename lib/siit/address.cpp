// Parsing and printing of addresses and prefixes; the control plane's input goes through here.
#include "siit/address.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <type_traits>

#include "siit/bytes.hpp"

namespace siit {

Ipv4Address Ipv4Address::from_bytes(const std::uint8_t* p) {
    return Ipv4Address{load32(p)};
}
void Ipv4Address::to_bytes(std::uint8_t* p) const {
    store32(p, value);
}

namespace {
// inet_pton reads a C string: "1.2.3.4\0junk" would pass as 1.2.3.4. An address is the whole text.
bool has_nul(std::string_view text) {
    return text.find('\0') != std::string_view::npos;
}
} // namespace

std::optional<Ipv4Address> Ipv4Address::parse(std::string_view text) {
    if (has_nul(text)) return std::nullopt;
    std::string s(text);
    std::uint8_t raw[4];
    if (inet_pton(AF_INET, s.c_str(), raw) != 1) return std::nullopt;
    return from_bytes(raw);
}

std::string Ipv4Address::to_string() const {
    std::uint8_t raw[4];
    to_bytes(raw);
    char out[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, raw, out, sizeof out);
    return out;
}

void Ipv6Address::set_bit(unsigned index, bool on) {
    const auto mask = static_cast<std::uint8_t>(1u << (7 - index % 8));
    if (on)
        bytes[index / 8] |= mask;
    else
        bytes[index / 8] &= static_cast<std::uint8_t>(~mask);
}

std::optional<Ipv6Address> Ipv6Address::parse(std::string_view text) {
    if (has_nul(text)) return std::nullopt;
    std::string s(text);
    Ipv6Address a;
    if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) != 1) return std::nullopt;
    return a;
}

std::string Ipv6Address::to_string() const {
    char out[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, bytes.data(), out, sizeof out);
    return out;
}

namespace {

// Splits "ADDR/LEN" into its parts; a missing "/LEN" yields `default_length`.
std::optional<std::pair<std::string_view, unsigned>> split_prefix(std::string_view text,
                                                                  unsigned default_length) {
    const auto slash = text.find('/');
    if (slash == std::string_view::npos) return std::pair{text, default_length};
    const auto len_text = text.substr(slash + 1);
    unsigned length = 0;
    const auto [end, ec] =
        std::from_chars(len_text.data(), len_text.data() + len_text.size(), length);
    if (ec != std::errc{} || end != len_text.data() + len_text.size() || len_text.empty() ||
        length > default_length)
        return std::nullopt;
    return std::pair{text.substr(0, slash), length};
}

} // namespace

std::optional<Ipv4Prefix> Ipv4Prefix::parse(std::string_view text) {
    const auto parts = split_prefix(text, 32);
    if (!parts) return std::nullopt;
    const auto address = Ipv4Address::parse(parts->first);
    if (!address) return std::nullopt;
    Ipv4Prefix p{*address, static_cast<std::uint8_t>(parts->second)};
    if ((address->value & ~p.mask()) != 0) return std::nullopt;
    return p;
}

std::string Ipv4Prefix::to_string() const {
    return address.to_string() + "/" + std::to_string(length);
}

bool Ipv6Prefix::contains(const Ipv6Address& a) const {
    const unsigned full = length / 8;
    if (std::memcmp(a.bytes.data(), address.bytes.data(), full) != 0) return false;
    const unsigned rest = length % 8;
    if (rest == 0) return true;
    const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
    return (a.bytes[full] & mask) == (address.bytes[full] & mask);
}

std::optional<Ipv6Prefix> Ipv6Prefix::parse(std::string_view text) {
    const auto parts = split_prefix(text, 128);
    if (!parts) return std::nullopt;
    const auto address = Ipv6Address::parse(parts->first);
    if (!address) return std::nullopt;
    for (unsigned bit = parts->second; bit < 128; ++bit)
        if (address->bit(bit)) return std::nullopt;
    return Ipv6Prefix{*address, static_cast<std::uint8_t>(parts->second)};
}

std::string Ipv6Prefix::to_string() const {
    return address.to_string() + "/" + std::to_string(length);
}

namespace {

template <typename Prefix, typename Address>
std::string prefix_problem(std::string_view text, unsigned bits, const char* family) {
    if (Prefix::parse(text)) return "";
    const auto slash = text.find('/');
    if (!Address::parse(text.substr(0, slash))) return std::string("not an ") + family + " address";
    const auto parts = split_prefix(text, bits);
    if (!parts) return "the prefix length must be 0-" + std::to_string(bits);
    // The address is one, the length is one: bits after the length are set.
    const std::string length = std::to_string(parts->second);
    const std::string whole(parts->first);
    const auto widest = Prefix::parse(whole + "/" + std::to_string(bits));
    Prefix cleared = *widest;
    cleared.length = static_cast<std::uint8_t>(parts->second);
    if constexpr (std::is_same_v<Prefix, Ipv4Prefix>) {
        cleared.address.value &= cleared.mask();
    } else {
        for (unsigned bit = parts->second; bit < bits; ++bit)
            cleared.address.set_bit(bit, false);
    }
    return "host bits are set after /" + length + " (the prefix is " + cleared.to_string() + ")";
}

} // namespace

std::string ipv4_prefix_problem(std::string_view text) {
    return prefix_problem<Ipv4Prefix, Ipv4Address>(text, 32, "IPv4");
}

std::string ipv6_prefix_problem(std::string_view text) {
    return prefix_problem<Ipv6Prefix, Ipv6Address>(text, 128, "IPv6");
}

} // namespace siit
