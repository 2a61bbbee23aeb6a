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

// Parses `text`: refused when it is not JSON, nests deeper than `max_depth`, or gives a key
// twice in one object (`field` then names the key's place, as "ports[1].name").
inline JsonInput parse_json_input(const std::string& text, int max_depth = kMaxJsonDepth) {
    using nlohmann::json;
    JsonInput result;
    if (json_nests_deeper_than(text, max_depth)) {
        result.reason = "nests deeper than " + std::to_string(max_depth) + " levels";
        return result;
    }
    // Where the parser is: one frame per open object or array.
    struct Frame {
        bool array = false;
        std::size_t index = 0;      // arrays: the element being read
        std::string key;            // objects: the key being read
        std::set<std::string> keys; // objects: the keys seen so far
    };
    std::vector<Frame> frames;
    std::string duplicate; // the first key given twice, as a path
    const auto path = [&frames] {
        std::string out;
        for (const Frame& f : frames) {
            if (f.array)
                out += "[" + std::to_string(f.index) + "]";
            else
                out += (out.empty() ? "" : ".") + f.key;
        }
        return out;
    };
    const auto element_done = [&frames] {
        if (!frames.empty() && frames.back().array) ++frames.back().index;
    };
    const json::parser_callback_t watch = [&](int, json::parse_event_t event, json& parsed) {
        switch (event) {
        case json::parse_event_t::object_start:
            frames.push_back({});
            break;
        case json::parse_event_t::array_start:
            frames.push_back({true, 0, {}, {}});
            break;
        case json::parse_event_t::key: {
            Frame& top = frames.back();
            top.key = parsed.get<std::string>();
            if (!top.keys.insert(top.key).second && duplicate.empty()) duplicate = path();
            break;
        }
        case json::parse_event_t::object_end:
        case json::parse_event_t::array_end:
            frames.pop_back();
            element_done();
            break;
        case json::parse_event_t::value:
            element_done();
            break;
        }
        return true;
    };
    try {
        json value = json::parse(text, watch);
        if (!duplicate.empty()) {
            result.field = duplicate;
            result.reason = "given twice (each key may appear once per object)";
            return result;
        }
        result.value = std::move(value);
    } catch (const json::exception& e) { // a syntax error, or a number too large (1e99999)
        result.reason = std::string("not valid JSON: ") + e.what();
    }
    return result;
}

// The refusal as one line: "FIELD: REASON", or the reason alone when no field is known.
inline std::string json_input_problem(const JsonInput& input) {
    return input.field.empty() ? input.reason : input.field + ": " + input.reason;
}

} // namespace siit::control
