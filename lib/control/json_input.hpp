// JSON that comes from outside siitd (a configuration file, a control request, a file siitctl
// sends), read strictly, the same way by siitd and siitctl. nlohmann::json accepts two things
// silently that an operator must hear about:
// - a key given twice in one object (the last one wins, so a reviewed file can mean something
//   else than it seems to);
// - nesting without bound: its parser is iterative, but its serializer and comparison recurse, so
//   tens of thousands of levels crash whoever prints or compares the value.
// Header-only, with nothing but nlohmann::json, so that siitctl needs no DPDK and no lib/siit.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace siit::control {

// Nothing siitd reads nests beyond 5 (a request holding a configuration holding an EAMT entry).
inline constexpr int kMaxJsonDepth = 32;

struct JsonInput {
    std::optional<nlohmann::json> value; // empty when the text was refused
    std::string field;                   // where the problem is ("translation.pool6"), if known
    std::string reason;                  // what is wrong, for a person
};

// Whether `text` opens more than `max_depth` arrays or objects inside each other. It counts
// brackets outside strings only; it runs before parsing, so a hostile text costs one pass.
inline bool json_nests_deeper_than(const std::string& text, int max_depth) {
    int depth = 0;
    bool in_string = false, escaped = false;
    for (const char c : text) {
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth) return true;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return false;
}

namespace detail {

// A SAX pass over text already known to be valid JSON, looking for a key given twice in one
// object; it builds nothing. (nlohmann's callback parser could do this while building, but its
// end_object searches the whole parent for discarded values: quadratic in a list of a million
// objects.)
class DuplicateKeyFinder {
  public:
    using json = nlohmann::json;
    std::string duplicate; // the first key given twice, as a path ("ports[1].name")

    bool null() { return element_done(); }
    bool boolean(bool) { return element_done(); }
    bool number_integer(json::number_integer_t) { return element_done(); }
    bool number_unsigned(json::number_unsigned_t) { return element_done(); }
    bool number_float(json::number_float_t, const json::string_t&) { return element_done(); }
    bool string(json::string_t&) { return element_done(); }
    bool binary(json::binary_t&) { return element_done(); }
    bool start_object(std::size_t) {
        frames_.push_back({});
        return true;
    }
    bool key(json::string_t& key) {
        Frame& top = frames_.back();
        top.key = key;
        if (top.keys.insert(key).second) return true;
        duplicate = path();
        return false; // stop: one is enough
    }
    bool end_object() {
        frames_.pop_back();
        return element_done();
    }
    bool start_array(std::size_t) {
        frames_.push_back({true, 0, {}, {}});
        return true;
    }
    bool end_array() {
        frames_.pop_back();
        return element_done();
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
        return false;
    }

  private:
    struct Frame {
        bool array = false;
        std::size_t index = 0;      // arrays: the element being read
        std::string key;            // objects: the key being read
        std::set<std::string> keys; // objects: the keys seen so far
    };
    bool element_done() {
        if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
        return true;
    }
    std::string path() const {
        std::string out;
        for (const Frame& f : frames_) {
            if (f.array)
                out += "[" + std::to_string(f.index) + "]";
            else
                out += (out.empty() ? "" : ".") + f.key;
        }
        return out;
    }
    std::vector<Frame> frames_;
};

} // namespace detail

// Parses `text`: refused when it is not JSON, nests deeper than `max_depth`, or gives a key
// twice in one object (`field` then names the key's place, as "ports[1].name"). Linear in the
// text's length: a million-entry EAMT is one request.
inline JsonInput parse_json_input(const std::string& text, int max_depth = kMaxJsonDepth) {
    using nlohmann::json;
    JsonInput result;
    if (json_nests_deeper_than(text, max_depth)) {
        result.reason = "nests deeper than " + std::to_string(max_depth) + " levels";
        return result;
    }
    json value;
    try {
        value = json::parse(text);
    } catch (const json::exception& e) { // a syntax error, or a number too large (1e99999)
        result.reason = std::string("not valid JSON: ") + e.what();
        return result;
    }
    detail::DuplicateKeyFinder finder;
    json::sax_parse(text, &finder);
    if (!finder.duplicate.empty()) {
        result.field = finder.duplicate;
        result.reason = "given twice (each key may appear once per object)";
        return result;
    }
    result.value = std::move(value);
    return result;
}

// The refusal as one line: "FIELD: REASON", or the reason alone when no field is known.
inline std::string json_input_problem(const JsonInput& input) {
    return input.field.empty() ? input.reason : input.field + ": " + input.reason;
}

} // namespace siit::control
