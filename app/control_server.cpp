// The control socket's transport; see control_server.hpp.
#include "control_server.hpp"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

namespace siitd {

namespace {

std::uint64_t now_ms() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::steady_clock::now().time_since_epoch())
                                          .count());
}

std::string error_reply(const std::string& message) {
    return nlohmann::json{{"version", 1}, {"ok", false}, {"error", message}}.dump() + "\n";
}

struct Client {
    int fd = -1;
    uid_t uid = 0;
    std::string in;              // bytes of the request being received
    std::string out;             // reply bytes not yet sent
    std::uint64_t waiting_since; // when the client became due to send a request or read a reply
    bool close_after_reply = false;
};

sockaddr_un socket_address(const std::string& path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    return address;
}

// Whether a daemon accepts connections on `path` right now.
bool live_daemon_at(const std::string& path) {
    const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    const sockaddr_un address = socket_address(path);
    const bool live = connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    close(fd);
    return live;
}

} // namespace

ControlServer::ControlServer(const ControlConfig& config, Handler handler, Tick tick)
    : config_(config), handler_(std::move(handler)), tick_(std::move(tick)) {}

ControlServer::~ControlServer() {
    stop();
}

bool ControlServer::start(std::string& error) {
    const std::string& path = config_.socket;
    struct stat st {};
    if (lstat(path.c_str(), &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            error =
                path + " exists and is not a socket; remove it or choose another control.socket";
            return false;
        }
        if (live_daemon_at(path)) {
            error = path + " is held by a running siitd; stop it or choose another control.socket";
            return false;
        }
        unlink(path.c_str()); // left behind by a daemon that did not stop cleanly
    }
    // The directory: /run/siitd is created on first use (systemd's RuntimeDirectory does it too).
    const auto slash = path.rfind('/');
    if (slash != std::string::npos && slash > 0) mkdir(path.substr(0, slash).c_str(), 0755);

    uid_t uid = static_cast<uid_t>(-1);
    gid_t gid = static_cast<gid_t>(-1);
    if (!config_.owner.empty()) {
        const passwd* pw = getpwnam(config_.owner.c_str());
        if (!pw) {
            error = "control.owner: no user '" + config_.owner + "'";
            return false;
        }
        uid = pw->pw_uid;
    }
    if (!config_.group.empty()) {
        const group* gr = getgrnam(config_.group.c_str());
        if (!gr) {
            error = "control.group: no group '" + config_.group + "'";
            return false;
        }
        gid = gr->gr_gid;
    }

    listen_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const sockaddr_un address = socket_address(path);
    // Created with no permission at all, then opened up to the configured mode: no window in which
    // a user outside the group could connect.
    const mode_t old_umask = umask(0777);
    const int bound = bind(listen_fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address);
    umask(old_umask);
    if (bound != 0 || chown(path.c_str(), uid, gid) != 0 ||
        chmod(path.c_str(), static_cast<mode_t>(config_.mode)) != 0 ||
        listen(listen_fd_, 128) != 0) {
        error = path + ": " + std::strerror(errno);
        close(listen_fd_);
        listen_fd_ = -1;
        return false;
    }
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    // A DPDK control thread runs on the CPUs no lcore uses (or the main lcore's), never on a
    // worker's core.
    if (rte_ctrl_thread_create(&thread_, "siitd-control", nullptr, serve_trampoline, this) != 0) {
        error = "cannot start the control thread";
        return false;
    }
    running_ = true;
    return true;
}

void* ControlServer::serve_trampoline(void* self) {
    static_cast<ControlServer*>(self)->serve();
    return nullptr;
}

void ControlServer::stop() {
    if (running_) {
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto n = write(wake_fd_, &one, sizeof one);
        pthread_join(thread_, nullptr);
        running_ = false;
    }
    if (listen_fd_ >= 0) {
        close(listen_fd_);
        unlink(config_.socket.c_str());
        listen_fd_ = -1;
    }
    if (wake_fd_ >= 0) close(wake_fd_);
    wake_fd_ = -1;
}

void ControlServer::serve() {
    std::vector<std::unique_ptr<Client>> clients;
    std::vector<pollfd> fds;
    std::uint64_t next_tick = now_ms();
    char chunk[65536];
    // Answers the first whole request in the client's buffer, if there is one, or refuses it
    // once it is longer than max-message-bytes, whole or not: a request is measured by itself, not
    // by the read that brought it. One request at a time: the bytes after its newline wait until
    // the reply has gone. Returns whether a reply is now pending.
    auto take_request = [&](Client& c) {
        const auto newline = c.in.find('\n');
        const std::size_t length = newline == std::string::npos ? c.in.size() : newline;
        if (length > config_.max_message_bytes) {
            counters_.requests_oversized.fetch_add(1, std::memory_order_relaxed);
            c.out = error_reply("request exceeds control.max-message-bytes (" +
                                std::to_string(config_.max_message_bytes) +
                                " bytes); send smaller batches");
            c.close_after_reply = true;
            c.in.clear();
            c.waiting_since = now_ms();
            return true;
        }
        if (newline == std::string::npos) return false;
        const std::string request = c.in.substr(0, newline);
        c.in.erase(0, newline + 1);
        counters_.requests.fetch_add(1, std::memory_order_relaxed);
        c.out = handler_(request, c.uid) + "\n";
        c.waiting_since = now_ms();
        if (hand_over_) {
            Receiver receiver = std::move(hand_over_);
            hand_over_ = nullptr;
            c.out.pop_back(); // the receiver ends the reply's line itself
            receiver(c.fd, std::move(c.out));
            c.out.clear();
            c.fd = -1; // the receiver's now; the loop below forgets this client
            return false;
        }
        return true;
    };
    for (;;) {
        fds.clear();
        fds.push_back({wake_fd_, POLLIN, 0});
        fds.push_back({listen_fd_, POLLIN, 0});
        for (const auto& c : clients)
            // A client with a reply pending is written to, not read from: one that never reads
            // cannot make siitd buffer without bound.
            fds.push_back({c->fd, static_cast<short>(c->out.empty() ? POLLIN : POLLOUT), 0});
        poll(fds.data(), fds.size(), 100);
        if (fds[0].revents & POLLIN) break;
        const std::uint64_t now = now_ms();

        for (std::size_t i = 0; i < clients.size(); ++i) {
            Client& c = *clients[i];
            const short revents = fds[i + 2].revents;
            bool drop = (revents & (POLLERR | POLLNVAL)) != 0;
            if (!drop && (revents & POLLOUT)) {
                const ssize_t sent = send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
                if (sent > 0) {
                    c.out.erase(0, static_cast<std::size_t>(sent));
                    if (c.out.empty()) {
                        c.waiting_since = now;
                        drop = c.close_after_reply;
                        if (!drop) take_request(c); // one the client sent before this reply
                    }
                } else if (errno != EAGAIN) {
                    drop = true;
                }
            } else if (!drop && (revents & (POLLIN | POLLHUP))) {
                const ssize_t got = recv(c.fd, chunk, sizeof chunk, 0);
                if (got <= 0) {
                    drop = got == 0 || errno != EAGAIN;
                } else {
                    c.in.append(chunk, static_cast<std::size_t>(got));
                    take_request(c);
                }
            }
            if (c.fd < 0) { // handed over (hand_over): not ours to close
                clients[i].reset();
                continue;
            }
            // (waiting_since may be later than `now`: a request answered during this pass.)
            if (!drop && now > c.waiting_since + config_.client_timeout_ms) {
                if (c.out.empty()) {
                    // Idle, or stalled mid-request: tell it why (best effort), then hang up.
                    counters_.clients_timed_out.fetch_add(1, std::memory_order_relaxed);
                    const std::string why =
                        error_reply("no complete request within control.client-timeout-ms (" +
                                    std::to_string(config_.client_timeout_ms) + " ms); closing");
                    [[maybe_unused]] const auto n =
                        send(c.fd, why.data(), why.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
                }
                drop = true; // a reply it would not read within the timeout also ends here
            }
            if (drop) {
                close(c.fd);
                clients[i].reset();
            }
        }
        std::erase_if(clients, [](const auto& c) { return !c; });

        if (fds[1].revents & POLLIN)
            for (;;) {
                const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (fd < 0) break;
                if (clients.size() >= config_.max_clients) {
                    counters_.clients_refused_limit.fetch_add(1, std::memory_order_relaxed);
                    const std::string why =
                        error_reply("too many control connections (control.max-clients is " +
                                    std::to_string(config_.max_clients) + "); try again");
                    [[maybe_unused]] const auto n =
                        send(fd, why.data(), why.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
                    close(fd);
                    continue;
                }
                counters_.clients_accepted.fetch_add(1, std::memory_order_relaxed);
                auto client = std::make_unique<Client>();
                client->fd = fd;
                client->waiting_since = now;
                ucred cred{};
                socklen_t length = sizeof cred;
                if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &length) == 0)
                    client->uid = cred.uid;
                clients.push_back(std::move(client));
            }
        if (now >= next_tick) {
            tick_();
            next_tick = now + 100;
        }
    }
    for (const auto& c : clients)
        close(c->fd);
}

} // namespace siitd
