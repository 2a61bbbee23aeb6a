#include "observe/announce.hpp"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <rte_log.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "control/protocol.hpp"
#include "control/utc_text.hpp"
#include "ports/link.hpp"

namespace siitd {

namespace {

// How often the interface follows what it reflects: a link loss withdraws the announcements
// within this, plus the routing daemon's own reaction (a drain does at once).
constexpr std::chrono::milliseconds kInterval{50};

} // namespace

Announcer::Announcer(std::string interface, const std::vector<Port>& ports,
                     const std::vector<WorkerStats>& stats)
    : interface_(std::move(interface)), ports_(ports), stats_(stats) {}

Announcer::~Announcer() {
    stop();
}

bool Announcer::start(std::string& error) {
    tap_ = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (tap_ < 0) {
        error = std::string("cannot open /dev/net/tun: ") + std::strerror(errno);
        return false;
    }
    ifreq request{};
    request.ifr_flags = IFF_TAP | IFF_NO_PI;
    std::strncpy(request.ifr_name, interface_.c_str(), IFNAMSIZ - 1);
    // Not persistent: the interface goes when siitd's descriptor closes, however siitd ends. It
    // is created down, and its carrier stays on: only up and down say anything.
    if (ioctl(tap_, TUNSETIFF, &request) < 0) {
        error = "cannot create the tap " + interface_ + ": " + std::strerror(errno) +
                (errno == EBUSY ? " (another process holds an interface of that name)" : "");
        close(tap_);
        tap_ = -1;
        return false;
    }
    if (!set_up(false)) {
        error = "cannot set the tap " + interface_ + "'s flags: " + std::strerror(errno);
        close(tap_);
        tap_ = -1;
        return false;
    }
    thread_ = std::thread([this] { run(); });
    return true;
}

void Announcer::stop() {
    if (thread_.joinable()) {
        stop_.store(true, std::memory_order_release);
        thread_.join();
    }
    if (tap_ >= 0) {
        set_up(false);
        close(tap_);
        tap_ = -1;
    }
}

bool Announcer::set_draining(bool draining) {
    {
        std::lock_guard lock(mutex_);
        if (draining_.load(std::memory_order_relaxed) == draining) return false;
        draining_.store(draining, std::memory_order_release);
        if (draining)
            draining_since_ = std::chrono::system_clock::now();
        else
            draining_since_.reset();
    }
    if (tap_ >= 0) follow(); // the reply shows the interface as it is now
    return true;
}

std::string Announcer::reason_down() const {
    if (!translating_.load(std::memory_order_acquire)) return "starting";
    for (const Port& port : ports_) {
        if (port.kernel_of >= 0) continue; // siitd's own kernel interfaces
        const PortLink link = read_port_link(port.id, port.carrier_interface);
        if (link.known && !link.up) return "port " + port.config.name + " link down";
    }
    if (draining_.load(std::memory_order_acquire)) return "draining";
    return "";
}

bool Announcer::set_up(bool up) {
    const int control = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ifreq flags{};
    std::strncpy(flags.ifr_name, interface_.c_str(), IFNAMSIZ - 1);
    bool done = control >= 0 && ioctl(control, SIOCGIFFLAGS, &flags) == 0;
    if (done) {
        flags.ifr_flags =
            static_cast<short>(up ? flags.ifr_flags | IFF_UP : flags.ifr_flags & ~IFF_UP);
        done = ioctl(control, SIOCSIFFLAGS, &flags) == 0;
    }
    const int saved = errno;
    if (control >= 0) close(control);
    if (!done) {
        RTE_LOG(WARNING, USER1, "siitd: announce interface %s: cannot bring it %s: %s\n",
                interface_.c_str(), up ? "up" : "down", std::strerror(saved));
        errno = saved;
        return false;
    }
    up_.store(up, std::memory_order_release);
    return true;
}

void Announcer::sample_arrivals() {
    // Packets from the networks that were not for the box's kernel: what translation received.
    std::uint64_t arrived = 0;
    for (const WorkerStats& worker : stats_) {
        for (std::size_t i = 0; i < ports_.size(); ++i)
            if (ports_[i].kernel_of < 0) arrived += worker.port_rx[i];
        arrived -= worker.shell[static_cast<std::size_t>(ShellCounter::to_kernel)];
    }
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    samples_.emplace_back(now, arrived);
    while (samples_.size() > 2 && now - samples_[1].first >= siit::control::kArrivalRateWindow)
        samples_.erase(samples_.begin());
    const auto& [then, before] = samples_.front();
    const double seconds = std::chrono::duration<double>(now - then).count();
    arriving_per_second_.store(
        seconds > 0 ? static_cast<std::uint64_t>((arrived - before) / seconds + 0.5) : 0,
        std::memory_order_relaxed);
}

void Announcer::follow() {
    std::lock_guard follow_lock(follow_mutex_);
    const std::string down = reason_down();
    {
        std::lock_guard lock(mutex_);
        if (down == down_because_) return;
    }
    if (!set_up(down.empty())) return; // tried again at the next interval
    // A link lost is the one change nobody asked for.
    const char* state = down.empty() ? "up" : "down";
    const char* why = down.empty() ? "translating" : down.c_str();
    if (down.find("link down") != std::string::npos)
        RTE_LOG(WARNING, USER1, "siitd: announce interface %s %s (%s)\n", interface_.c_str(), state,
                why);
    else
        RTE_LOG(INFO, USER1, "siitd: announce interface %s %s (%s)\n", interface_.c_str(), state,
                why);
    std::lock_guard lock(mutex_);
    down_because_ = down;
}

void Announcer::run() {
    while (!stop_.load(std::memory_order_acquire)) {
        sample_arrivals();
        follow();
        std::this_thread::sleep_for(kInterval);
    }
}

nlohmann::json Announcer::state_json() const {
    using nlohmann::json;
    std::lock_guard lock(mutex_);
    return {{"interface", interface_},
            {"state", up() ? "up" : "down"},
            {"down-because", up() ? json(nullptr) : json(down_because_)},
            {"draining", draining_.load(std::memory_order_acquire)},
            {"draining-since",
             draining_since_ ? json(siit::control::utc_text(*draining_since_)) : json(nullptr)},
            {"arriving-packets-per-second", arriving_per_second()}};
}

} // namespace siitd
