// `siitctl capture` inside siitd: the control command `capture` prepares a session (ports,
// direction, libpcap filter, snap length, its own ring and mbuf pool), the control socket's
// connection is handed to a capture thread, and that thread publishes the session to the workers
// and streams what they record to the client as pcapng (lib/control/pcapng.hpp) until the count,
// the duration, the client hanging up, or siitd stopping ends it. One capture at a time.
//
// Each received packet and what was sent for it share one packet id (epb_packetid) and say what
// happened in their comment; drops carry the counter's name. The end of the stream gives, per
// port, what was captured and what the capture lost (Interface Statistics).
#pragma once

#include <pthread.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "capture/session.hpp"
#include "ports/port.hpp"
#include "siit/qsbr.hpp"

namespace siitd {

struct CaptureRequest {
    std::string port;               // a port's name; empty: every port
    std::string direction = "both"; // rx, tx or both
    std::string filter;             // libpcap's filter syntax; empty: every packet
    std::uint64_t count = 0;        // stop after this many pairs; 0: no limit
    double duration_seconds = 0;    // stop after this long; 0: no limit
    std::uint32_t snaplen = 2048;   // bytes kept of each packet
};

// The request's fields from a control request, each checked; throws std::invalid_argument with
// the reason.
CaptureRequest parse_capture_request(const nlohmann::json& request);

class Capture {
  public:
    Capture(const std::vector<Port>& ports, std::atomic<const CaptureSession*>& published,
            siit::QuiescentStateTracker& qsbr);
    ~Capture();
    Capture(const Capture&) = delete;
    Capture& operator=(const Capture&) = delete;

    // Control thread: checks the request against the ports and compiles its filter, and
    // allocates the session's ring and pool. Throws std::invalid_argument with the reason (an
    // unknown port, a filter libpcap refuses, a capture already running, no memory). Returns what
    // the reply says about it.
    nlohmann::json prepare(const CaptureRequest& request);
    // Runs the prepared session on the capture thread: `reply` first, then the pcapng stream to
    // `fd` (which it closes at the end).
    void serve(int fd, std::string reply);
    // Ends a running capture and waits for its thread (siitd stopping).
    void stop();
    // A reader that takes nothing for `ms` is cut off and counted in `counter`
    // (control.client-timeout-ms, ControlCounters::captures_cut_off).
    void limit_stalls(std::uint32_t ms, std::atomic<std::uint64_t>* counter) {
        stall_limit_ms_ = ms;
        cut_off_ = counter;
    }

  private:
    struct Stream;
    static void* run_trampoline(void* self);
    void run();
    void release_session();

    const std::vector<Port>& ports_;
    std::atomic<const CaptureSession*>& published_;
    siit::QuiescentStateTracker& qsbr_;
    std::unique_ptr<CaptureSession> session_; // prepared or running
    CaptureRequest request_;
    int fd_ = -1;
    std::string reply_;
    pthread_t thread_{};
    bool thread_started_ = false;
    std::atomic<bool> running_{false};
    std::atomic<bool> stop_{false};
    std::uint32_t stall_limit_ms_ = 5000;
    std::atomic<std::uint64_t>* cut_off_ = nullptr;
};

} // namespace siitd
