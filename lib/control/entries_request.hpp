// A request that carries a long EAMT list (eamt.add, eamt.remove, eamt.replace), read in one pass
// without building the list as JSON. A million entries as a JSON document are four million
// strings and a million objects, allocated and freed again: most of the time siitd spent on a
// million-entry replace. This reader takes only the plainest form of such a request, an object
// of scalars plus "entries", a list of objects that each hold "ipv4" and "ipv6" once, as valid
// prefixes; anything else (a repeated key, a nested value, a missing side, a bad prefix, text that
// is not JSON) makes it step aside, and the strict reader (json_input.hpp) and the handler's own
// checks then refuse or accept the request with their usual messages. Whatever this reader
// accepts, the strict path accepts with the same meaning (a unit test compares them).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "siit/eam.hpp"

namespace siit::control {

struct EntriesRequest {
    nlohmann::json rest;           // the request without "entries": its command, version, ...
    std::vector<EamEntry> entries; // "entries", in order
};

// The request `text` as above, or nothing when it is not in that plainest form (a request with
// no "entries" at all is not: the handler names what is missing).
std::optional<EntriesRequest> read_entries_request(const std::string& text);

} // namespace siit::control
