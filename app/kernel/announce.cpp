#include "kernel/announce.hpp"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <rte_log.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "control/utc_text.hpp"
#include "ports/link.hpp"

namespace siitd {

namespace {

// How often the carrier follows what it reflects: a link loss or a drain withdraws the
// announcements within this, plus the routing daemon's own reaction.
constexpr std::chrono::milliseconds kInterval{50};
// The window of the arrival rate `status` shows.
constexpr std::chrono::seconds kRateWindow{1};

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
    // Not persistent: the interface goes when siitd's descriptor closes, however siitd ends.
    if (ioctl(tap_, TUNSETIFF, &request) < 0) {
        error = "cannot create the tap " + interface_ + ": " + std::strerror(errno) +
                (errno == EBUSY ? " (another process holds an interface of that name)" : "");
        close(tap_);
        tap_ = -1;
        return false;
    }
    // Carrier off before the interface comes up, so that nobody sees it on too early.
    int off = 0;
    const int control = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ifreq flags{};
    std::strncpy(flags.ifr_name, interface_.c_str(), IFNAMSIZ - 1);
    const bool up = ioctl(tap_, TUNSETCARRIER, &off) == 0 && control >= 0 &&
                    ioctl(control, SIOCGIFFLAGS, &flags) == 0 &&
                    (flags.ifr_flags |= IFF_UP, ioctl(control, SIOCSIFFLAGS, &flags) == 0);
    const int saved = errno;
    if (control >= 0) close(control);
    if (!up) {
        error = "cannot bring the tap " + interface_ +
                " up with its carrier off: " + std::strerror(saved);
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
        set_carrier(false);
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
    if (tap_ >= 0) follow(); // the reply shows the carrier as it is now
    return true;
}

std::string Announcer::reason_off() const {
    if (!translating_.load(std::memory_order_acquire)) return "starting";
    for (const Port& port : ports_) {
        if (port.kernel_of >= 0) continue; // siitd's own kernel interfaces
        const PortLink link = read_port_link(port.id, port.carrier_interface);
        if (link.known && !link.up) return "port " + port.config.name + " link down";
    }
    if (draining_.load(std::memory_order_acquire)) return "draining";
    return "";
}

bool Announcer::set_carrier(bool on) {
    int value = on ? 1 : 0;
    if (ioctl(tap_, TUNSETCARRIER, &value) < 0) {
        RTE_LOG(WARNING, USER1, "siitd: announce interface %s: cannot set its carrier %s: %s\n",
                interface_.c_str(), on ? "on" : "off", std::strerror(errno));
        return false;
    }
    carrier_.store(on, std::memory_order_release);
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
    while (samples_.size() > 2 && now - samples_[1].first >= kRateWindow)
        samples_.erase(samples_.begin());
    const auto& [then, before] = samples_.front();
    const double seconds = std::chrono::duration<double>(now - then).count();
    arriving_per_second_.store(
        seconds > 0 ? static_cast<std::uint64_t>((arrived - before) / seconds + 0.5) : 0,
        std::memory_order_relaxed);
}

void Announcer::follow() {
    std::lock_guard follow_lock(follow_mutex_);
    const std::string off = reason_off();
    {
        std::lock_guard lock(mutex_);
        if (off == off_because_) return;
    }
    if (!set_carrier(off.empty())) return; // tried again at the next interval
    // A link lost is the one change nobody asked for.
    const char* carrier = off.empty() ? "on" : "off";
    const char* why = off.empty() ? "translating" : off.c_str();
    if (off.find("link down") != std::string::npos)
        RTE_LOG(WARNING, USER1, "siitd: announce interface %s: carrier %s (%s)\n",
                interface_.c_str(), carrier, why);
    else
        RTE_LOG(INFO, USER1, "siitd: announce interface %s: carrier %s (%s)\n", interface_.c_str(),
                carrier, why);
    std::lock_guard lock(mutex_);
    off_because_ = off;
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
            {"carrier", carrier() ? "on" : "off"},
            {"off-because", carrier() ? json(nullptr) : json(off_because_)},
            {"draining", draining_.load(std::memory_order_acquire)},
            {"draining-since",
             draining_since_ ? json(siit::control::utc_text(*draining_since_)) : json(nullptr)},
            {"arriving-packets-per-second", arriving_per_second()}};
}

} // namespace siitd
