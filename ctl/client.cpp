// The control socket client; see client.hpp.
#include "client.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace siitctl {

namespace {

class Fd {
  public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) close(fd_);
    }
    Fd(Fd&& other) noexcept : fd_(other.release()) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    int release() {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }

  private:
    int fd_;
};

} // namespace

namespace {

Fd connect_to(const std::string& socket_path) {
    sockaddr_un address{};
    if (socket_path.size() >= sizeof address.sun_path)
        throw Unreachable(socket_path + ": path too long for a Unix socket");
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);
    Fd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        const int e = errno;
        std::string hint = e == ENOENT || e == ECONNREFUSED
                               ? "is siitd running? (systemctl status siitd; or pass --socket)"
                           : e == EACCES ? "you are not in the socket's group (control.group)"
                                         : "";
        throw Unreachable("cannot connect to siitd at " + socket_path + ": " + std::strerror(e) +
                          (hint.empty() ? "" : "; " + hint));
    }
    return fd;
}

// Sends the request's text, piece by piece as `write_request` hands the pieces to the writer it
// is given, and reads the reply's line; what came after it stays in `rest`.
nlohmann::json exchange(const Fd& fd, const std::string& socket_path,
                        const std::function<void(const Writer&)>& write_request, int timeout_ms,
                        std::string& rest) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    auto wait_for = [&](short events) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                              deadline - std::chrono::steady_clock::now())
                              .count();
        pollfd p{fd.get(), events, 0};
        if (left <= 0 || poll(&p, 1, static_cast<int>(left)) <= 0)
            throw Unreachable("siitd at " + socket_path + " did not answer within " +
                              std::to_string(timeout_ms) + " ms (--timeout)");
    };
    // siitd may answer before it has read the request, and close: a refusal at max-clients, or a
    // request over max-message-bytes. Sending then fails (EPIPE), but its reason is already
    // waiting to be read, and it is what the operator must see.
    std::string send_error;
    write_request([&](const std::string& text) {
        for (std::size_t sent = 0; sent < text.size() && send_error.empty();) {
            wait_for(POLLOUT);
            const ssize_t n =
                send(fd.get(), text.data() + sent, text.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n < 0 && errno != EAGAIN && errno != EINTR) send_error = std::strerror(errno);
            if (n > 0) sent += static_cast<std::size_t>(n);
        }
    });
    std::string reply;
    char chunk[65536];
    while (reply.find('\n') == std::string::npos) {
        wait_for(POLLIN);
        const ssize_t n = recv(fd.get(), chunk, sizeof chunk, 0);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) continue;
            if (!send_error.empty()) break;
            throw Unreachable("reading siitd's reply: " + std::string(std::strerror(errno)));
        }
        reply.append(chunk, static_cast<std::size_t>(n));
    }
    const auto newline = reply.find('\n');
    if (newline != std::string::npos) {
        rest = reply.substr(newline + 1);
        reply.resize(newline);
    }
    try {
        return nlohmann::json::parse(reply);
    } catch (const nlohmann::json::exception&) {
        if (!send_error.empty())
            throw Unreachable("siitd at " + socket_path + " closed the connection: " + send_error);
        throw Unreachable("siitd at " + socket_path + " sent no valid reply");
    }
}

// The request's whole text, in one piece.
std::function<void(const Writer&)> whole(nlohmann::json request) {
    request["version"] = 1;
    return [text = request.dump() + "\n"](const Writer& write) { write(text); };
}

} // namespace

nlohmann::json call(const std::string& socket_path, nlohmann::json request, int timeout_ms) {
    const Fd fd = connect_to(socket_path);
    std::string rest;
    return exchange(fd, socket_path, whole(std::move(request)), timeout_ms, rest);
}

nlohmann::json call_with_list(const std::string& socket_path, nlohmann::json request,
                              const std::string& list_field,
                              const std::function<void(const Writer&)>& write_items,
                              int timeout_ms) {
    request["version"] = 1;
    std::string head = request.dump();
    head.pop_back(); // the closing brace: the list comes last
    head += "," + nlohmann::json(list_field).dump() + ":[";
    const Fd fd = connect_to(socket_path);
    std::string rest;
    return exchange(
        fd, socket_path,
        [&](const Writer& write) {
            write(head);
            write_items(write);
            write("]}\n");
        },
        timeout_ms, rest);
}

Stream open_stream(const std::string& socket_path, nlohmann::json request, int timeout_ms) {
    Fd fd = connect_to(socket_path);
    Stream stream;
    stream.reply =
        exchange(fd, socket_path, whole(std::move(request)), timeout_ms, stream.first_bytes);
    stream.fd = fd.release();
    return stream;
}

} // namespace siitctl
