// Careful reading of input files; see input_file.hpp.
#include "input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "control/json_input.hpp"

namespace siitctl {

std::string read_input_file(const std::string& path, std::size_t limit) {
    const bool standard_input = path == "-";
    // O_NONBLOCK: opening a FIFO must not wait for a writer before it can be refused.
    const int fd = standard_input ? 0 : open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) throw UsageError(path + ": cannot be read: " + std::strerror(errno));
    struct Closer {
        int fd;
        bool owned;
        ~Closer() {
            if (owned) close(fd);
        }
    } closer{fd, !standard_input};
    struct stat st {};
    if (fstat(fd, &st) != 0) throw UsageError(path + ": cannot be read: " + std::strerror(errno));
    if (!standard_input && !S_ISREG(st.st_mode))
        throw UsageError(path + ": not a regular file" +
                         (S_ISDIR(st.st_mode) ? " (a directory)" : ""));
    if (!standard_input && static_cast<std::size_t>(st.st_size) > limit)
        throw UsageError(path + ": " + std::to_string(st.st_size) +
                         " bytes, more than siitd accepts in one request (" +
                         std::to_string(limit) + ", control.max-message-bytes)");
    if (!standard_input) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    std::string text;
    char chunk[65536];
    for (;;) {
        const ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw UsageError(path + ": cannot be read: " + std::strerror(errno));
        if (n == 0) break;
        text.append(chunk, static_cast<std::size_t>(n));
        if (text.size() > limit)
            throw UsageError(path + ": more than " + std::to_string(limit) +
                             " bytes, more than siitd accepts in one request "
                             "(control.max-message-bytes)");
    }
    return text;
}

nlohmann::json parse_json_text(const std::string& text, const std::string& path) {
    auto input = siit::control::parse_json_input(text);
    if (!input.value) throw UsageError(path + ": " + siit::control::json_input_problem(input));
    return std::move(*input.value);
}

nlohmann::json read_json_file(const std::string& path, std::size_t limit) {
    return parse_json_text(read_input_file(path, limit), path);
}

} // namespace siitctl
