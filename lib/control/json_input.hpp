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
#include <string_view>
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

// The first SAX pass over a text, building nothing: the first key given twice in one object, and
// the length of every array in the order the arrays open, so that the second pass can give each
// its exact room. (nlohmann's callback parser could find duplicates while building, but its
// end_object searches the whole parent for discarded values: quadratic in a list of a million
// objects. And its DOM grows arrays by doubling: a request of 31 million small values would peak
// at half as much again as it ends.)
class FirstPass {
  public:
    using json = nlohmann::json;
    explicit FirstPass(std::string_view repeatable_key) : repeatable_key_(repeatable_key) {}
    bool duplicated = false; // a key given twice in one object
    std::string duplicate;   // the first such key, as a path ("ports[1].name"; "" at the top)
    std::vector<std::size_t> array_lengths; // in the order the arrays open
    std::string syntax_error;               // not JSON: why

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
        const bool repeatable = !repeatable_key_.empty() && key == repeatable_key_;
        if (!repeatable && !top.keys.insert(key).second && !duplicated) {
            duplicated = true;
            duplicate = path();
        }
        return true; // on to the end: a syntax error later in the text is the first thing to say
    }
    bool end_object() {
        frames_.pop_back();
        return element_done();
    }
    bool start_array(std::size_t) {
        frames_.push_back({true, 0, array_lengths.size(), {}, {}});
        array_lengths.push_back(0);
        return true;
    }
    bool end_array() {
        array_lengths[frames_.back().array_number] = frames_.back().index;
        frames_.pop_back();
        return element_done();
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
        syntax_error = e.what();
        return false;
    }

  private:
    struct Frame {
        bool array = false;
        std::size_t index = 0;        // arrays: the element being read
        std::size_t array_number = 0; // arrays: its place in array_lengths
        std::string key;              // objects: the key being read
        std::set<std::string> keys;   // objects: the keys seen so far
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
    std::string_view repeatable_key_;
};

// The second pass: the value itself, each array reserved at the length the first pass found
// (so an element's address stays put while its own elements are added).
class Builder {
  public:
    using json = nlohmann::json;
    Builder(json& root, const std::vector<std::size_t>& array_lengths)
        : root_(root), array_lengths_(array_lengths) {}

    bool null() { return place(nullptr) != nullptr; }
    bool boolean(bool v) { return place(v) != nullptr; }
    bool number_integer(json::number_integer_t v) { return place(v) != nullptr; }
    bool number_unsigned(json::number_unsigned_t v) { return place(v) != nullptr; }
    bool number_float(json::number_float_t v, const json::string_t&) { return place(v) != nullptr; }
    bool string(json::string_t& v) { return place(std::move(v)) != nullptr; }
    bool binary(json::binary_t& v) { return place(json::binary(std::move(v))) != nullptr; }
    bool start_object(std::size_t) {
        stack_.push_back(place(json::value_t::object));
        return true;
    }
    bool key(json::string_t& key) {
        element_ = &stack_.back()->get_ref<json::object_t&>()[key];
        return true;
    }
    bool end_object() {
        stack_.pop_back();
        return true;
    }
    bool start_array(std::size_t) {
        json* array = place(json::value_t::array);
        const std::size_t n = next_array_ < array_lengths_.size() ? array_lengths_[next_array_] : 0;
        ++next_array_;
        array->get_ref<json::array_t&>().reserve(n);
        stack_.push_back(array);
        return true;
    }
    bool end_array() {
        stack_.pop_back();
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
        return false;
    }

  private:
    template <typename Value> json* place(Value&& value) {
        if (stack_.empty()) {
            root_ = json(std::forward<Value>(value));
            return &root_;
        }
        json& top = *stack_.back();
        if (top.is_array()) {
            auto& elements = top.get_ref<json::array_t&>();
            elements.emplace_back(std::forward<Value>(value));
            return &elements.back();
        }
        *element_ = json(std::forward<Value>(value));
        return element_;
    }
    json& root_;
    const std::vector<std::size_t>& array_lengths_;
    std::size_t next_array_ = 0;
    std::vector<json*> stack_;
    json* element_ = nullptr;
};

} // namespace detail

// Parses `text`: refused when it is not JSON, nests deeper than `max_depth`, or gives a key
// twice in one object (`field` then names the key's place, as "ports[1].name"). Linear in the
// text's length: a million-entry EAMT is one request; its value costs what nlohmann::json's
// values cost (16 bytes each, and what strings and objects hold), never twice that.
// `repeatable_key`, when not empty, may appear any number of times in an object, the last one
// kept: only for a foreign format whose own rules say so (Jool's "comment"); siitd's own files
// and requests have none.
inline JsonInput parse_json_input(const std::string& text, int max_depth = kMaxJsonDepth,
                                  std::string_view repeatable_key = {}) {
    using nlohmann::json;
    JsonInput result;
    if (json_nests_deeper_than(text, max_depth)) {
        result.reason = "nests deeper than " + std::to_string(max_depth) + " levels";
        return result;
    }
    detail::FirstPass first(repeatable_key);
    // (A syntax error, or a number too large: 1e99999.)
    if (!json::sax_parse(text, &first) || !first.syntax_error.empty()) {
        result.reason = "not valid JSON: " + first.syntax_error;
        return result;
    }
    if (first.duplicated) {
        result.field = first.duplicate.empty() ? "\"\"" : first.duplicate;
        result.reason = "given twice (each key may appear once per object)";
        return result;
    }
    json value;
    detail::Builder builder(value, first.array_lengths);
    json::sax_parse(text, &builder);
    result.value = std::move(value);
    return result;
}

// Frees `value` leaves first. nlohmann::json destroys a container without recursing by moving all
// of its elements into a stack of its own first: a list of 31 million values would need twice its
// memory just to go away. Emptied from the leaves up, no container it destroys holds anything.
// Recursion is bounded by the nesting parse_json_input allows.
inline void release_json(nlohmann::json& value) {
    if (value.is_array()) {
        auto& elements = value.get_ref<nlohmann::json::array_t&>();
        for (auto& element : elements)
            release_json(element);
        nlohmann::json::array_t().swap(elements);
    } else if (value.is_object()) {
        auto& members = value.get_ref<nlohmann::json::object_t&>();
        for (auto& member : members)
            release_json(member.second);
        nlohmann::json::object_t().swap(members);
    }
}

// Calls release_json on a value when it goes out of scope, whatever the way out.
struct ReleaseJson {
    nlohmann::json& value;
    ~ReleaseJson() { release_json(value); }
};

// A value from outside as a message shows it: as it is when it is plain printable ASCII, else as a
// JSON string (quoted, escaped), so that a NUL or a terminal's control sequence shows as such
// (bytes beyond ASCII as \u escapes, and those that are not UTF-8, from a text file, as U+FFFD).
inline std::string shown_text(const std::string& text) {
    for (const char c : text)
        if (c < 0x20 || c > 0x7e)
            return nlohmann::json(text).dump(-1, ' ', true,
                                             nlohmann::json::error_handler_t::replace);
    return text;
}

// The refusal as one line: "FIELD: REASON", or the reason alone when no field is known.
inline std::string json_input_problem(const JsonInput& input) {
    return input.field.empty() ? input.reason : input.field + ": " + input.reason;
}

} // namespace siit::control
