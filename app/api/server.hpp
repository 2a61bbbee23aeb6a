// The control socket's transport: a Unix stream socket, newline-delimited JSON, one request and
// one reply per line (docs/control-api.md), served by two DPDK control threads (never on a worker
// core). The socket thread owns every connection and answers at once what costs little whatever
// the table's size (version, stats, status, lookups); it hands everything else (changes, whole
// tables, files) to the control worker, which runs them one at a time. So a million-entry replace
// never delays another client's `stats`, and a reply for a client that left before its turn is
// never computed. It protects the daemon from its clients and the clients from each other: every
// socket is non-blocking, a request must arrive whole within the client timeout and within the
// size limit, a client that does not read its reply is not read from again, and beyond
// max-clients new connections are answered with an error and closed.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <pthread.h>
#include <string>

#include "config/config_file.hpp"

namespace siitd {

// What the transport counts; shown by `siitctl stats` under "control".
struct ControlCounters {
    std::atomic<std::uint64_t> requests{0};
    std::atomic<std::uint64_t> clients_accepted{0};
    std::atomic<std::uint64_t> clients_refused_limit{0}; // beyond max-clients
    std::atomic<std::uint64_t> requests_oversized{0};    // over max-message-bytes
    std::atomic<std::uint64_t> clients_timed_out{0};     // request not whole within the timeout
    std::atomic<std::uint64_t> requests_in_turn{0};      // answered on the control worker
    std::atomic<std::uint64_t> requests_abandoned{0};    // its client left before its turn came
    std::atomic<std::uint64_t> captures_cut_off{0};      // a capture reader stalled too long
};

class ControlServer {
  public:
    // Reply: one line, no newline. `uid` is the peer's user id (SO_PEERCRED): the API checks
    // privileged commands against it and names it in the audit log.
    struct Handlers {
        // On the thread that serves the sockets: the reply now, or nothing when the request must
        // wait its turn on the control worker (it changes the running version, or its cost
        // grows with the table or the file).
        std::function<std::optional<std::string>(const std::string& request, uid_t uid)> at_once;
        // On the control worker, one request at a time, in the order they arrived.
        std::function<std::string(std::string request, uid_t uid)> in_turn;
        // About ten times a second: on the socket thread, and on the control worker between
        // requests (a SIGHUP reload, the reclamation of old versions).
        std::function<void()> socket_tick, worker_tick;
    };

    ControlServer(const ControlConfig& config, Handlers handlers);
    ~ControlServer();
    // Creates the socket (refusing a path where a live daemon answers) and starts the threads.
    bool start(std::string& error);
    // Stops both threads, closes every connection and removes the socket. The control worker is
    // given `patience` to finish what it is doing (a request cannot be interrupted halfway);
    // false when it is still busy then: the caller must then exit without destroying what the
    // worker uses (busy_with() says what that is).
    bool stop(std::chrono::milliseconds patience = std::chrono::milliseconds(1000));
    // What the control worker is doing ("eamt.replace for uid 0"), or empty when idle.
    std::string busy_with() const;
    // Called by the control worker when it starts something long on its own (a reload).
    void set_busy_with(std::string what);
    const ControlCounters& counters() const { return counters_; }
    ControlCounters& counters() { return counters_; }
    // Called by an in_turn handler while it answers a request: the connection is handed to
    // `receiver` with the reply (which `receiver` sends first, then whatever it streams)
    // instead of being answered here; `receiver` owns the descriptor it is given and closes it.
    // `siitctl capture` streams its pcapng this way.
    using Receiver = std::function<void(int fd, std::string reply)>;
    void hand_over(Receiver receiver) { hand_over_ = std::move(receiver); }

  private:
    struct Job;
    void serve();
    void work();
    static void* serve_trampoline(void* self);
    static void* work_trampoline(void* self);

    ControlConfig config_;
    Handlers handlers_;
    int listen_fd_ = -1;
    int wake_fd_ = -1; // eventfd: stop() wakes poll() with it
    int done_fd_ = -1; // eventfd: the control worker says a reply is ready
    pthread_t thread_{}, worker_{};
    bool running_ = false, worker_running_ = false;
    ControlCounters counters_;
    Receiver hand_over_; // control worker only: set by the request being answered

    // The control worker's queue, and the replies it has finished (both under mutex_).
    mutable std::mutex mutex_;
    std::condition_variable wake_worker_;
    std::deque<std::shared_ptr<Job>> queue_, done_;
    bool stopping_ = false;
    std::string busy_with_;
};

} // namespace siitd
