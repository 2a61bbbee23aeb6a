// siitd's log stream; see log_stream.hpp.
#include "observe/log_stream.hpp"

#include <rte_log.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <sys/types.h>

namespace siitd {

namespace {

bool g_journal_prefix = false;
bool g_quiet_dpdk = false;

// DPDK lines logged as warnings that warn of nothing on a siitd box, left out with the rest of
// DPDK's account of itself: siitd serves DPDK's telemetry socket, never the legacy one.
constexpr std::string_view kHarmlessDpdkWarnings[] = {
    "TELEMETRY: No legacy callbacks, legacy socket not created",
};

bool quietened(std::string_view line) {
    if (rte_log_cur_msg_logtype() == RTE_LOGTYPE_USER1) return false;
    if (rte_log_cur_msg_loglevel() >= static_cast<int>(RTE_LOG_INFO)) return true;
    for (const std::string_view harmless : kHarmlessDpdkWarnings)
        if (line.substr(0, harmless.size()) == harmless) return true;
    return false;
}

// fopencookie's write: one call per formatted line. RTE_LOG levels are syslog's plus one.
ssize_t write_line(void*, const char* buffer, size_t size) {
    if (g_quiet_dpdk && quietened(std::string_view(buffer, size)))
        return static_cast<ssize_t>(size);
    // siitd's own lines (RTE_LOG's USER1) start "siitd: " without DPDK's "USER1: " before it.
    static constexpr char kOwnPrefix[] = "USER1: ";
    if (size >= sizeof kOwnPrefix - 1 &&
        std::memcmp(buffer, kOwnPrefix, sizeof kOwnPrefix - 1) == 0) {
        const ssize_t rest =
            write_line(nullptr, buffer + sizeof kOwnPrefix - 1, size - (sizeof kOwnPrefix - 1));
        return rest < 0 ? rest : static_cast<ssize_t>(size);
    }
    if (g_journal_prefix) {
        const int level = rte_log_cur_msg_loglevel();
        std::fprintf(stderr, "<%d>", level >= 1 && level <= 8 ? level - 1 : 6);
    }
    std::fwrite(buffer, 1, size, stderr);
    std::fflush(stderr);
    return static_cast<ssize_t>(size);
}

} // namespace

std::string journal_priority(int syslog_priority) {
    if (std::getenv("JOURNAL_STREAM") == nullptr) return "";
    return "<" + std::to_string(syslog_priority) + ">";
}

void log_once_to_stderr(bool quiet_dpdk) {
    g_quiet_dpdk = quiet_dpdk;
    g_journal_prefix = std::getenv("JOURNAL_STREAM") != nullptr;
    static cookie_io_functions_t functions{nullptr, write_line, nullptr, nullptr};
    if (FILE* stream = fopencookie(nullptr, "w", functions)) {
        setvbuf(stream, nullptr, _IOLBF, BUFSIZ);
        rte_openlog_stream(stream);
    }
}

} // namespace siitd
