// The control socket's transport; see api/server.hpp.
#include "api/server.hpp"

#include "control/protocol.hpp"

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

#include <malloc.h>

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
    return nlohmann::json{
               {"version", siit::control::kProtocolVersion}, {"ok", false}, {"error", message}}
               .dump() +
           "\n";
}

// Requests this large are answered on the control worker whatever their command: parsing them is
// already work that would hold up the socket thread.
constexpr std::size_t kAtOnceRequestBytes = 64 * 1024;
// After a request this large, the memory its parse used is handed back to the system (glibc keeps
// freed memory otherwise: a refused 60 MB request would leave gigabytes resident).
constexpr std::size_t kTrimAfterRequestBytes = 1 << 20;

} // namespace

// One request waiting for, or being answered by, the control worker.
struct ControlServer::Job {
    std::string request;
    std::size_t request_bytes = 0;
    uid_t uid = 0;
    int fd = -1;                        // the client's, owned by the socket thread
    std::atomic<bool> abandoned{false}; // the client hung up: not worth computing
    std::string reply;
    bool handed_over = false; // the reply and the connection went to a Receiver
};

namespace {

struct Client {
    int fd = -1;
    uid_t uid = 0;
    std::string in;              // bytes of the request being received
    std::string out;             // reply bytes not yet sent
    std::uint64_t waiting_since; // when the client became due to send a request or read a reply
    bool close_after_reply = false;
    std::shared_ptr<void> job; // its request, while the control worker has it
    bool hung_up = false;      // left while its request waited: closed once the job is back
    std::size_t searched = 0;  // bytes of `in` known to hold no newline
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

ControlServer::ControlServer(const ControlConfig& config, Handlers handlers)
    : config_(config), handlers_(std::move(handlers)) {}

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
    done_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    // DPDK control threads run on the CPUs no lcore uses (or the main lcore's), never on a
    // worker's core.
    if (rte_ctrl_thread_create(&worker_, "siitd-ctl-work", nullptr, work_trampoline, this) != 0) {
        error = "cannot start the control worker thread";
        return false;
    }
    worker_running_ = true;
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

void* ControlServer::work_trampoline(void* self) {
    static_cast<ControlServer*>(self)->work();
    return nullptr;
}

bool ControlServer::stop(std::chrono::milliseconds patience) {
    if (running_) {
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto n = write(wake_fd_, &one, sizeof one);
        pthread_join(thread_, nullptr);
        running_ = false;
    }
    bool stopped = true;
    if (worker_running_) {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_worker_.notify_all();
        timespec deadline{};
        clock_gettime(CLOCK_REALTIME, &deadline);
        const auto ns = deadline.tv_nsec + std::chrono::nanoseconds(patience).count();
        deadline.tv_sec += static_cast<time_t>(ns / 1000000000);
        deadline.tv_nsec = static_cast<long>(ns % 1000000000);
        stopped = pthread_timedjoin_np(worker_, nullptr, &deadline) == 0;
        if (stopped) worker_running_ = false;
    }
    if (listen_fd_ >= 0) {
        close(listen_fd_);
        unlink(config_.socket.c_str());
        listen_fd_ = -1;
    }
    if (!stopped) return false; // the worker may still touch what follows
    for (const auto& job : done_)
        close(job->fd);
    for (const auto& job : queue_)
        close(job->fd);
    done_.clear();
    queue_.clear();
    for (int* fd : {&wake_fd_, &done_fd_})
        if (*fd >= 0) close(*fd), *fd = -1;
    return true;
}

std::string ControlServer::busy_with() const {
    std::lock_guard lock(mutex_);
    return busy_with_;
}

void ControlServer::set_busy_with(std::string what) {
    std::lock_guard lock(mutex_);
    busy_with_ = std::move(what);
}

void ControlServer::work() {
    auto next_tick = std::chrono::steady_clock::now();
    for (;;) {
        std::shared_ptr<Job> job;
        {
            std::unique_lock lock(mutex_);
            wake_worker_.wait_until(lock, next_tick,
                                    [this] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            if (!queue_.empty()) {
                job = std::move(queue_.front());
                queue_.pop_front();
            }
        }
        if (job) {
            job->request_bytes = job->request.size();
            if (job->abandoned.load()) {
                counters_.requests_abandoned.fetch_add(1, std::memory_order_relaxed);
            } else {
                counters_.requests_in_turn.fetch_add(1, std::memory_order_relaxed);
                set_busy_with("a request of " + std::to_string(job->request_bytes) +
                              " bytes from uid " + std::to_string(job->uid));
                job->reply = handlers_.in_turn(std::move(job->request), job->uid);
                if (hand_over_) {
                    Receiver receiver = std::move(hand_over_);
                    hand_over_ = nullptr;
                    // The receiver gets a descriptor of its own: the socket thread closes its one
                    // when it takes the job back.
                    const int fd = dup(job->fd);
                    if (fd >= 0) receiver(fd, std::move(job->reply));
                    job->handed_over = true;
                }
                set_busy_with("");
            }
            const bool large = job->request_bytes >= kTrimAfterRequestBytes;
            std::string().swap(job->request);
            {
                std::lock_guard lock(mutex_);
                done_.push_back(std::move(job));
            }
            const std::uint64_t one = 1;
            [[maybe_unused]] const auto n = write(done_fd_, &one, sizeof one);
            if (large) malloc_trim(0);
        }
        if (std::chrono::steady_clock::now() >= next_tick) {
            handlers_.worker_tick();
            next_tick = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
        }
    }
}

void ControlServer::serve() {
    std::vector<std::unique_ptr<Client>> clients;
    std::vector<pollfd> fds;
    std::vector<Client*> polled; // fds[i + 3] is polled[i]'s
    std::uint64_t next_tick = now_ms();
    char chunk[65536];
    // Answers the first whole request in the client's buffer, if there is one, or refuses it
    // once it is longer than max-message-bytes, whole or not: a request is measured by itself, not
    // by the read that brought it. One request at a time: the bytes after its newline wait until
    // the reply has gone. A request that cannot be answered at once goes to the control worker;
    // the client then waits, neither read from nor timed out, until its job comes back.
    auto take_request = [&](Client& c) {
        // Only the bytes not yet searched: a 60 MB request arrives in a thousand reads.
        const auto newline = c.in.find('\n', c.searched);
        c.searched = newline == std::string::npos ? c.in.size() : 0;
        const std::size_t length = newline == std::string::npos ? c.in.size() : newline;
        if (length > config_.max_message_bytes) {
            counters_.requests_oversized.fetch_add(1, std::memory_order_relaxed);
            c.out = error_reply("request exceeds control.max-message-bytes (" +
                                std::to_string(config_.max_message_bytes) +
                                " bytes); send smaller batches");
            c.close_after_reply = true;
            std::string().swap(c.in);
            c.searched = 0;
            c.waiting_since = now_ms();
            return;
        }
        if (newline == std::string::npos) return;
        std::string request;
        if (newline + 1 == c.in.size()) { // the whole buffer: taken, not copied
            request = std::move(c.in);
            request.pop_back();
            c.in = std::string();
        } else {
            request = c.in.substr(0, newline);
            c.in.erase(0, newline + 1);
        }
        counters_.requests.fetch_add(1, std::memory_order_relaxed);
        if (request.size() <= kAtOnceRequestBytes)
            if (auto reply = handlers_.at_once(request, c.uid)) {
                c.out = std::move(*reply) + "\n";
                c.waiting_since = now_ms();
                return;
            }
        auto job = std::make_shared<Job>();
        job->request = std::move(request);
        job->uid = c.uid;
        job->fd = c.fd;
        c.job = job;
        {
            std::lock_guard lock(mutex_);
            queue_.push_back(std::move(job));
        }
        wake_worker_.notify_one();
    };
    for (;;) {
        fds.clear();
        polled.clear();
        fds.push_back({wake_fd_, POLLIN, 0});
        fds.push_back({done_fd_, POLLIN, 0});
        fds.push_back({listen_fd_, POLLIN, 0});
        for (const auto& c : clients) {
            if (c->hung_up) continue; // its job is still out: nothing more to learn from it
            // A client with a reply pending is written to, not read from: one that never reads
            // cannot make siitd buffer without bound. One whose request the worker has is only
            // watched for hanging up (POLLHUP is always reported).
            const short events = c->job ? 0 : c->out.empty() ? POLLIN : POLLOUT;
            fds.push_back({c->fd, events, 0});
            polled.push_back(c.get());
        }
        poll(fds.data(), fds.size(), 100);
        if (fds[0].revents & POLLIN) break;
        const std::uint64_t now = now_ms();

        // Replies the control worker finished.
        if (fds[1].revents & POLLIN) {
            std::uint64_t count;
            [[maybe_unused]] const auto n = read(done_fd_, &count, sizeof count);
            std::deque<std::shared_ptr<Job>> done;
            {
                std::lock_guard lock(mutex_);
                done.swap(done_);
            }
            for (const auto& job : done)
                for (auto& c : clients) {
                    if (c->job.get() != job.get()) continue;
                    c->job.reset();
                    if (c->hung_up || job->handed_over) {
                        close(c->fd); // a handed-over connection lives on in its receiver's
                        c->fd = -1;
                    } else {
                        c->out = std::move(job->reply) + "\n";
                        c->waiting_since = now;
                    }
                    break;
                }
        }

        for (std::size_t i = 0; i < polled.size(); ++i) {
            Client& c = *polled[i];
            const short revents = fds[i + 3].revents;
            if (c.fd < 0) continue; // its job came back for a client that had left
            if (c.job) {
                if (revents & (POLLHUP | POLLERR | POLLNVAL)) {
                    static_cast<Job*>(c.job.get())->abandoned.store(true);
                    c.hung_up = true;
                }
                continue;
            }
            bool drop = (revents & (POLLERR | POLLNVAL)) != 0;
            if (!drop && (revents & POLLOUT)) {
                const ssize_t sent = send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
                if (sent > 0) {
                    c.out.erase(0, static_cast<std::size_t>(sent));
                    if (c.out.empty()) {
                        std::string().swap(c.out);
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
            // (waiting_since may be later than `now`: a request answered during this pass.)
            if (!drop && !c.job && now > c.waiting_since + config_.client_timeout_ms) {
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
                c.fd = -1;
            }
        }
        std::erase_if(clients, [](const auto& c) { return c->fd < 0; });

        if (fds[2].revents & POLLIN)
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
            handlers_.socket_tick();
            next_tick = now + 100;
        }
    }
    // A client whose request the worker still holds keeps its descriptor until stop() has the
    // worker's answer: the worker may be handing that connection over.
    for (const auto& c : clients)
        if (!c->job) close(c->fd);
}

} // namespace siitd
