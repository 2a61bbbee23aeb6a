// The control socket's transport: a Unix stream socket served by one control thread (a DPDK
// control thread, so never on a worker core), newline-delimited JSON, one request and one reply per
// line (docs/control-api.md). It protects the daemon from its clients and the clients from each
// other: every socket is non-blocking, a request must arrive whole within the client timeout and
// within the size limit, a client that does not read its reply is not read from again, and beyond
// max-clients new connections are answered with an error and closed.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <pthread.h>
#include <string>

#include "config.hpp"

namespace siitd {

// What the transport counts; shown by `siitctl stats` under "control".
struct ControlCounters {
    std::atomic<std::uint64_t> requests{0};
    std::atomic<std::uint64_t> clients_accepted{0};
    std::atomic<std::uint64_t> clients_refused_limit{0}; // beyond max-clients
    std::atomic<std::uint64_t> requests_oversized{0};    // over max-message-bytes
    std::atomic<std::uint64_t> clients_timed_out{0};     // request not whole within the timeout
};

class ControlServer {
  public:
    // Called on the control thread for each request line; returns the reply (one line, no
    // newline). `uid` is the peer's user id (SO_PEERCRED): the API checks privileged commands
    // against it and names it in the audit log.
    using Handler = std::function<std::string(const std::string& request, uid_t uid)>;
    // Called on the control thread about ten times a second (the reclamation of old versions).
    using Tick = std::function<void()>;

    ControlServer(const ControlConfig& config, Handler handler, Tick tick);
    ~ControlServer();
    // Creates the socket (refusing a path where a live daemon answers) and starts the thread.
    bool start(std::string& error);
    // Stops the thread, closes every connection and removes the socket.
    void stop();
    const ControlCounters& counters() const { return counters_; }
    // Called by a Handler, on the control thread, while it answers a request: the connection is
    // handed to `receiver` with the reply (which `receiver` sends first, then whatever it streams)
    // instead of being answered here. The server forgets the connection; `receiver` closes it.
    // `siitctl capture` streams its pcapng this way.
    using Receiver = std::function<void(int fd, std::string reply)>;
    void hand_over(Receiver receiver) { hand_over_ = std::move(receiver); }

  private:
    void serve();
    static void* serve_trampoline(void* self);

    ControlConfig config_;
    Handler handler_;
    Tick tick_;
    int listen_fd_ = -1;
    int wake_fd_ = -1; // eventfd: stop() wakes poll() with it
    pthread_t thread_{};
    bool running_ = false;
    ControlCounters counters_;
    Receiver hand_over_; // set by the request being answered, if it takes the connection
};

} // namespace siitd
