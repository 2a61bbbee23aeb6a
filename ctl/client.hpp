// siitctl's side of the control socket: one connection, one JSON request, one JSON reply.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace siitctl {

// siitd could not be reached, or did not answer in time: exit status 3.
struct Unreachable : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Sends `request` (the "version" field is added) to the siitd listening on `socket_path` and
// returns its reply, whether ok or not. Waits at most `timeout_ms` for the whole exchange.
nlohmann::json call(const std::string& socket_path, nlohmann::json request, int timeout_ms);

// Sends one piece of a request's text.
using Writer = std::function<void(const std::string&)>;

// The same, for a request whose last field, `list_field`, is a list too long to hold as JSON (a
// million-entry EAMT): `write_items` writes the list's items as JSON text, comma-separated,
// through the writer it is given, in pieces of its choosing. Each piece goes out as it is made,
// so memory stays bounded by one piece.
nlohmann::json call_with_list(const std::string& socket_path, nlohmann::json request,
                              const std::string& list_field,
                              const std::function<void(const Writer&)>& write_items,
                              int timeout_ms);

// A request whose reply is followed by a stream (capture): the reply, the stream's first bytes
// (those that came with the reply), and the connection, which the caller reads to its end and
// closes.
struct Stream {
    nlohmann::json reply;
    std::string first_bytes;
    int fd = -1;
};
Stream open_stream(const std::string& socket_path, nlohmann::json request, int timeout_ms);

} // namespace siitctl
