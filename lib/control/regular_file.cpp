// One careful reader of outside files; see regular_file.hpp.
#include "control/regular_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace siit::control {

namespace {

const char* kind_of(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a plain file";
}

FileIdentity identity_of(const struct stat& st) {
    return {st.st_dev, st.st_ino, st.st_size,
            std::int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec,
            std::int64_t{st.st_ctim.tv_sec} * 1000000000 + st.st_ctim.tv_nsec};
}

std::string too_large(const std::string& name, const std::string& size, std::size_t limit,
                      const std::string& limit_reason) {
    return name + ": " + size + " bytes, more than " + limit_reason + " (" + std::to_string(limit) +
           " bytes)";
}

} // namespace

std::optional<FileIdentity> file_identity(const std::string& path) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) return std::nullopt;
    return identity_of(st);
}

RegularFile read_open_file(int fd, const std::string& name, std::size_t limit,
                           const std::string& limit_reason, bool allow_streams) {
    RegularFile file;
    struct stat st {};
    if (fstat(fd, &st) != 0) {
        file.problem = name + ": cannot be read: " + std::strerror(errno);
        return file;
    }
    const bool stream = S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode);
    if (!S_ISREG(st.st_mode) && !(allow_streams && stream)) {
        file.problem = name + ": not a regular file (" + kind_of(st.st_mode) + ")";
        return file;
    }
    if (S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) > limit) {
        file.problem = too_large(name, std::to_string(st.st_size), limit, limit_reason);
        return file;
    }
    file.identity = identity_of(st);
    // Reads block from here on: a regular file always has its bytes, and a stream was asked for.
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    std::string text;
    if (S_ISREG(st.st_mode)) text.reserve(static_cast<std::size_t>(st.st_size));
    char chunk[65536];
    for (;;) {
        const ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            file.problem = name + ": cannot be read: " + std::strerror(errno);
            return file;
        }
        if (n == 0) break;
        if (text.size() + static_cast<std::size_t>(n) > limit) { // it grew while being read
            file.problem = too_large(name, "over " + std::to_string(limit), limit, limit_reason);
            return file;
        }
        text.append(chunk, static_cast<std::size_t>(n));
    }
    file.text = std::move(text);
    return file;
}

RegularFile read_regular_file(const std::string& path, std::size_t limit,
                              const std::string& limit_reason) {
    // O_NONBLOCK: opening a FIFO must not wait for a writer before it can be refused.
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        RegularFile file;
        file.problem = path + ": cannot be read: " + std::strerror(errno);
        return file;
    }
    RegularFile file = read_open_file(fd, path, limit, limit_reason, false);
    close(fd);
    return file;
}

} // namespace siit::control
