// siitd's log stream; see log_stream.hpp.
#include "observe/log_stream.hpp"

#include <rte_log.h>

#include <cstdio>
#include <cstdlib>
#include <sys/types.h>

namespace siitd {

namespace {

bool g_journal_prefix = false;

// fopencookie's write: one call per formatted line. RTE_LOG levels are syslog's plus one.
ssize_t write_line(void*, const char* buffer, size_t size) {
    if (g_journal_prefix) {
        const int level = rte_log_cur_msg_loglevel();
        std::fprintf(stderr, "<%d>", level >= 1 && level <= 8 ? level - 1 : 6);
    }
    std::fwrite(buffer, 1, size, stderr);
    std::fflush(stderr);
    return static_cast<ssize_t>(size);
}

} // namespace

void log_once_to_stderr() {
    g_journal_prefix = std::getenv("JOURNAL_STREAM") != nullptr;
    static cookie_io_functions_t functions{nullptr, write_line, nullptr, nullptr};
    if (FILE* stream = fopencookie(nullptr, "w", functions)) {
        setvbuf(stream, nullptr, _IOLBF, BUFSIZ);
        rte_openlog_stream(stream);
    }
}

} // namespace siitd
