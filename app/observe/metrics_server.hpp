// The HTTP endpoint Prometheus scrapes (`metrics`): libmicrohttpd, on its own thread, serving
// GET /metrics from a page callback, on a TCP address or a Unix socket that siitd binds itself.
// It answers nothing else and never touches the workers. A few clients cannot blind the
// operator's monitoring: a connection that sends nothing (or stays idle after its answer) is
// closed after kIdleSeconds, and beyond kMaxConnections a new one is answered 503 and closed at
// once rather than left waiting.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "config/config_file.hpp"

struct MHD_Daemon;

namespace siitd {

class MetricsServer {
  public:
    using Page = std::function<std::string()>;
    MetricsServer(MetricsListen listen, Page page);
    ~MetricsServer();
    MetricsServer(const MetricsServer&) = delete;
    MetricsServer& operator=(const MetricsServer&) = delete;
    // Binds the address (a Unix socket: replaces a stale socket file, never any other file) and
    // starts serving. False, with the reason, when it cannot.
    bool start(std::string& error);
    void stop();
    // Requests served, and refused (a method other than GET or HEAD, a path other than /metrics).
    std::uint64_t served() const { return served_.load(std::memory_order_relaxed); }
    std::uint64_t refused() const { return refused_.load(std::memory_order_relaxed); }
    // Connections refused because kMaxConnections were open.
    std::uint64_t refused_limit() const { return refused_limit_.load(std::memory_order_relaxed); }
    static constexpr unsigned kMaxConnections = 64;
    // libmicrohttpd's connection callback: one more open (+1) or one fewer (-1).
    void count_open(int delta) { open_.fetch_add(static_cast<unsigned>(delta)); }
    static constexpr unsigned kIdleSeconds = 2;
    // The body of libmicrohttpd's request callback (an MHD_Connection*; returns an MHD_Result).
    static int handle_request(void* self, void* connection, const char* url, const char* method);

  private:
    void accept_loop();

    MetricsListen listen_;
    Page page_;
    int socket_ = -1; // until libmicrohttpd owns it
    MHD_Daemon* daemon_ = nullptr;
    bool bound_socket_file_ = false;
    std::atomic<std::uint64_t> served_{0}, refused_{0}, refused_limit_{0};
    std::atomic<unsigned> open_{0}; // connections libmicrohttpd holds
    int wake_fd_ = -1;              // eventfd: stop() wakes the accepting thread
    std::thread accepting_;
};

} // namespace siitd
