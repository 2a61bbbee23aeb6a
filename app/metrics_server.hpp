// The HTTP endpoint Prometheus scrapes (`metrics`): libmicrohttpd, on its own thread, serving
// GET /metrics from a page callback, on a TCP address or a Unix socket that siitd binds itself.
// It answers nothing else, keeps few connections, and never touches the workers.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "config.hpp"

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
    // The body of libmicrohttpd's request callback (an MHD_Connection*; returns an MHD_Result).
    static int handle_request(void* self, void* connection, const char* url, const char* method);

  private:
    MetricsListen listen_;
    Page page_;
    int socket_ = -1; // until libmicrohttpd owns it
    MHD_Daemon* daemon_ = nullptr;
    bool bound_socket_file_ = false;
    std::atomic<std::uint64_t> served_{0}, refused_{0};
};

} // namespace siitd
