// The one-pass reader of a request's EAMT list; see entries_request.hpp.
#include "control/entries_request.hpp"

#include "control/protocol.hpp"
#include "siit/address.hpp"

namespace siit::control {

namespace {

using nlohmann::json;

// nlohmann's SAX interface. Returning false stops the parse: the reader steps aside.
class EntriesReader {
  public:
    explicit EntriesReader(EntriesRequest& out) : out_(out) {}

    bool null() { return scalar(json(nullptr)); }
    bool boolean(bool value) { return scalar(json(value)); }
    bool number_integer(json::number_integer_t value) { return scalar(json(value)); }
    bool number_unsigned(json::number_unsigned_t value) { return scalar(json(value)); }
    bool number_float(json::number_float_t value, const json::string_t&) {
        return scalar(json(value));
    }
    bool binary(json::binary_t&) { return false; }
    bool string(json::string_t& value) {
        if (place_ != Place::entry_value) return scalar(json(std::move(value)));
        if (side_ == Side::ipv4) {
            const auto prefix = Ipv4Prefix::parse(value);
            if (!prefix) return false;
            entry_.prefix4 = *prefix;
        } else {
            const auto prefix = Ipv6Prefix::parse(value);
            if (!prefix) return false;
            entry_.prefix6 = *prefix;
        }
        place_ = Place::entry;
        return true;
    }
    bool start_object(std::size_t) {
        if (place_ == Place::start) {
            place_ = Place::top;
            return true;
        }
        if (place_ != Place::list) return false;
        place_ = Place::entry;
        sides_seen_ = 0;
        return true;
    }
    bool key(json::string_t& name) {
        if (place_ == Place::top) {
            if (out_.rest.contains(name) || (name == field::entries && entries_seen_))
                return false; // a key given twice: the strict reader names it
            key_ = std::move(name);
            place_ = key_ == field::entries ? Place::entries_value : Place::top_value;
            return true;
        }
        if (place_ != Place::entry) return false;
        const unsigned bit = name == "ipv4" ? 1 : name == "ipv6" ? 2 : 0;
        if (bit == 0 || (sides_seen_ & bit)) return false;
        sides_seen_ |= bit;
        side_ = bit == 1 ? Side::ipv4 : Side::ipv6;
        place_ = Place::entry_value;
        return true;
    }
    bool end_object() {
        if (place_ == Place::top) {
            place_ = Place::done;
            return true;
        }
        if (place_ != Place::entry || sides_seen_ != 3) return false;
        out_.entries.push_back(entry_);
        place_ = Place::list;
        return true;
    }
    bool start_array(std::size_t) {
        if (place_ != Place::entries_value) return false;
        entries_seen_ = true;
        place_ = Place::list;
        return true;
    }
    bool end_array() {
        if (place_ != Place::list) return false;
        place_ = Place::top;
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
        return false;
    }
    // Whether the request was read whole, its list among it.
    bool complete() const { return place_ == Place::done && entries_seen_; }

  private:
    bool scalar(json value) {
        if (place_ != Place::top_value) return false;
        out_.rest[key_] = std::move(value);
        place_ = Place::top;
        return true;
    }

    enum class Place : std::uint8_t {
        start,         // before the request's object
        top,           // in it, before a key or its end
        top_value,     // after a key other than "entries"
        entries_value, // after "entries"
        list,          // in the entries' list
        entry,         // in one entry, before a key or its end
        entry_value,   // after an entry's key
        done,          // after the request's object
    };
    enum class Side : std::uint8_t { ipv4, ipv6 };
    EntriesRequest& out_;
    Place place_ = Place::start;
    std::string key_;
    bool entries_seen_ = false;
    Side side_ = Side::ipv4;
    unsigned sides_seen_ = 0; // bit 1: ipv4, bit 2: ipv6
    EamEntry entry_;
};

} // namespace

std::optional<EntriesRequest> read_entries_request(const std::string& text) {
    // nlohmann's lexer ends its input at a NUL byte, and would leave what follows unread; JSON
    // holds none outside an escape, so such a text is the strict reader's to refuse.
    if (text.find('\0') != std::string::npos) return std::nullopt;
    EntriesRequest out;
    out.rest = json::object();
    EntriesReader reader(out);
    try {
        if (!json::sax_parse(text, &reader, json::input_format_t::json, true) || !reader.complete())
            return std::nullopt;
    } catch (const json::exception&) {
        return std::nullopt;
    }
    return out;
}

} // namespace siit::control
