#include "observe/metrics_server.hpp"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "control/metrics_text.hpp"

namespace siitd {

namespace {

// Room in the kernel for connections not yet accepted: more than the connection limit, so that
// every client beyond it meets the limit's refusal instead of a queue the kernel keeps.
constexpr int kListenBacklog = 128;

// A socket bound to `listen` and listening; -1 with the reason when that fails.
int bind_listen(const MetricsListen& listen, std::string& error) {
    const auto fail = [&error](const std::string& what, int fd) {
        error = what + ": " + std::strerror(errno);
        if (fd >= 0) close(fd);
        return -1;
    };
    if (listen.kind == MetricsListen::Kind::unix_socket) {
        const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) return fail("socket", fd);
        // A socket file left by a siitd that did not stop cleanly is replaced; a file of any
        // other kind is never removed.
        struct stat existing {};
        if (lstat(listen.text.c_str(), &existing) == 0) {
            if (!S_ISSOCK(existing.st_mode)) {
                errno = EEXIST;
                return fail(listen.text + " exists and is not a socket", fd);
            }
            unlink(listen.text.c_str());
        }
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, listen.text.c_str(), sizeof address.sun_path - 1);
        if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
            return fail("bind " + listen.text, fd);
        if (::listen(fd, kListenBacklog) != 0) {
            unlink(listen.text.c_str()); // the socket file this bind just made
            return fail("listen " + listen.text, fd);
        }
        return fd;
    }
    sockaddr_storage storage{};
    socklen_t length = 0;
    const bool v6 = listen.address.find(':') != std::string::npos;
    if (v6) {
        auto* a = reinterpret_cast<sockaddr_in6*>(&storage);
        a->sin6_family = AF_INET6;
        a->sin6_port = htons(listen.port);
        inet_pton(AF_INET6, listen.address.c_str(), &a->sin6_addr);
        length = sizeof *a;
    } else {
        auto* a = reinterpret_cast<sockaddr_in*>(&storage);
        a->sin_family = AF_INET;
        a->sin_port = htons(listen.port);
        inet_pton(AF_INET, listen.address.c_str(), &a->sin_addr);
        length = sizeof *a;
    }
    const int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return fail("socket", fd);
    const int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (v6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &yes, sizeof yes);
    if (bind(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0)
        return fail("bind " + listen.text, fd);
    if (::listen(fd, kListenBacklog) != 0) return fail("listen " + listen.text, fd);
    return fd;
}

MHD_Result answer(MHD_Connection* connection, unsigned status, const std::string& body,
                  const char* content_type) {
    MHD_Response* response = MHD_create_response_from_buffer(
        body.size(), const_cast<char*>(body.data()), MHD_RESPMEM_MUST_COPY);
    if (!response) return MHD_NO;
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    const MHD_Result result = MHD_queue_response(connection, status, response);
    MHD_destroy_response(response);
    return result;
}

MHD_Result on_request(void* self, MHD_Connection* connection, const char* url, const char* method,
                      const char*, const char*, size_t* upload_size, void**) {
    if (*upload_size != 0) { // a body nobody asked for: read and ignored
        *upload_size = 0;
        return MHD_YES;
    }
    return static_cast<MHD_Result>(MetricsServer::handle_request(self, connection, url, method));
}

// How many connections libmicrohttpd holds, for the limit: counted when handed over (its own
// "started" comes later, on its thread), uncounted when it closes one.
void on_connection(void* self, MHD_Connection*, void**, MHD_ConnectionNotificationCode code) {
    if (code == MHD_CONNECTION_NOTIFY_CLOSED) static_cast<MetricsServer*>(self)->count_open(-1);
}

} // namespace

MetricsServer::MetricsServer(MetricsListen listen, Page page)
    : listen_(std::move(listen)), page_(std::move(page)) {}

MetricsServer::~MetricsServer() {
    stop();
}

int MetricsServer::handle_request(void* self_pointer, void* connection_pointer, const char* url,
                                  const char* method) {
    auto* self = static_cast<MetricsServer*>(self_pointer);
    auto* connection = static_cast<MHD_Connection*>(connection_pointer);
    const std::string text = "text/plain; charset=utf-8";
    if (std::strcmp(method, "GET") != 0 && std::strcmp(method, "HEAD") != 0) {
        ++self->refused_;
        return answer(connection, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET /metrics\n", text.c_str());
    }
    if (std::strcmp(url, "/metrics") != 0) {
        ++self->refused_;
        return answer(connection, MHD_HTTP_NOT_FOUND, "siitd serves /metrics only\n", text.c_str());
    }
    ++self->served_;
    return answer(connection, MHD_HTTP_OK, self->page_(), siit::control::kMetricsTextContentType);
}

bool MetricsServer::start(std::string& error) {
    socket_ = bind_listen(listen_, error);
    if (socket_ < 0) return false;
    bound_socket_file_ = listen_.kind == MetricsListen::Kind::unix_socket;
    // libmicrohttpd's one internal thread polls every connection it is given; this server's own
    // thread accepts them, so that beyond the limit a client is refused at once instead of
    // waiting in the listen queue behind connections that say nothing.
    daemon_ = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
                                   MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC,
                               0, nullptr, nullptr, &on_request, this, MHD_OPTION_CONNECTION_LIMIT,
                               kMaxConnections, MHD_OPTION_CONNECTION_TIMEOUT, kIdleSeconds,
                               MHD_OPTION_NOTIFY_CONNECTION, &on_connection, this, MHD_OPTION_END);
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (!daemon_ || wake_fd_ < 0) {
        error = "libmicrohttpd could not start on " + listen_.text;
        stop();
        return false;
    }
    accepting_ = std::thread([this] { accept_loop(); });
    return true;
}

void MetricsServer::accept_loop() {
    // Beyond the limit: an answer, not a wait (Prometheus records the failed scrape and retries).
    static const std::string busy =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
        "Content-Length: 33\r\nConnection: close\r\n\r\n"
        "too many connections; try again\r\n";
    for (;;) {
        pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {socket_, POLLIN, 0}};
        if (poll(fds, 2, -1) < 0 && errno != EINTR) return;
        if (fds[0].revents & POLLIN) return;
        if (!(fds[1].revents & POLLIN)) continue;
        sockaddr_storage peer{};
        socklen_t length = sizeof peer;
        const int fd = accept4(socket_, reinterpret_cast<sockaddr*>(&peer), &length,
                               SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) continue;
        if (open_.load() >= kMaxConnections) {
            ++refused_limit_;
            [[maybe_unused]] const auto n =
                send(fd, busy.data(), busy.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
            close(fd);
            continue;
        }
        // libmicrohttpd closes it, also when it refuses it.
        count_open(1);
        if (MHD_add_connection(daemon_, fd, reinterpret_cast<sockaddr*>(&peer), length) != MHD_YES)
            count_open(-1);
    }
}

void MetricsServer::stop() {
    if (accepting_.joinable()) {
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto n = write(wake_fd_, &one, sizeof one);
        accepting_.join();
    }
    if (daemon_) MHD_stop_daemon(daemon_);
    daemon_ = nullptr;
    if (socket_ >= 0) close(socket_);
    socket_ = -1;
    if (wake_fd_ >= 0) close(wake_fd_);
    wake_fd_ = -1;
    // Only the socket file this server made: a failed start leaves whatever was there.
    if (bound_socket_file_) unlink(listen_.text.c_str());
    bound_socket_file_ = false;
}

} // namespace siitd
