// `config save`'s policy and its careful write; see config_save.hpp.
#include "config/config_save.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "control/regular_file.hpp"

namespace siitd {

namespace {

// "DIR/NAME" with DIR resolved (symbolic links, "..", relative paths) and NAME kept as given, or
// nothing when DIR does not exist or NAME is not a plain file name.
std::optional<std::string> resolved_parent(const std::string& path) {
    const auto slash = path.rfind('/');
    const std::string directory = slash == std::string::npos ? "." : path.substr(0, slash + 1);
    const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    if (name.empty() || name == "." || name == "..") return std::nullopt;
    char real[PATH_MAX];
    if (!realpath(directory.c_str(), real)) return std::nullopt;
    return std::string(real) + (std::strcmp(real, "/") == 0 ? "" : "/") + name;
}

[[noreturn]] void refuse(const std::string& reason) {
    throw SaveRefused{reason};
}

} // namespace

std::string save_config_file(const std::string& requested, const SavePolicy& policy,
                             const SaveContents& make_contents) {
    const std::string path = requested.empty() ? policy.started_from : requested;
    const auto target = resolved_parent(path);
    if (!target) refuse(path + ": no such directory, or not a file name");
    const auto started = resolved_parent(policy.started_from);
    bool allowed = started && *target == *started;
    if (!allowed && !policy.directory.empty()) {
        char real[PATH_MAX];
        const auto slash = target->rfind('/');
        allowed = realpath(policy.directory.c_str(), real) &&
                  target->substr(0, slash == 0 ? 1 : slash) == real;
    }
    if (!allowed)
        refuse(path + ": siitd saves only to the file it was started from (" + policy.started_from +
               ")" +
               (policy.directory.empty()
                    ? std::string("; name a directory in control.save-directory to allow others")
                    : " or into control.save-directory (" + policy.directory + ")"));

    struct stat old {};
    const bool exists = lstat(target->c_str(), &old) == 0;
    if (exists && S_ISLNK(old.st_mode))
        refuse(path + ": is a symbolic link; siitd does not write through links");
    if (exists && !S_ISREG(old.st_mode)) refuse(path + ": exists and is not a regular file");
    // The old text, so that the new file keeps its order (read by siitd's rule for its files:
    // a regular file, never beyond the limit).
    std::string old_text;
    if (exists) {
        auto read = siit::control::read_regular_file(*target, policy.largest_old_file,
                                                     "control.max-message-bytes");
        if (read.text) old_text = std::move(*read.text);
    }
    const std::string contents = make_contents(old_text);

    const std::string temporary = *target + ".tmp." + std::to_string(getpid());
    const int fd =
        open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) refuse("cannot create " + temporary + ": " + std::strerror(errno));
    const auto fail = [&](const std::string& what) {
        const std::string reason = what + " " + temporary + ": " + std::strerror(errno);
        close(fd);
        unlink(temporary.c_str());
        refuse(reason);
    };
    // The old file's owner, group and mode; a new file is readable by its owner and group only.
    if (exists && fchown(fd, old.st_uid, old.st_gid) != 0) fail("cannot give the owner to");
    if (fchmod(fd, exists ? old.st_mode & 07777 : 0640) != 0) fail("cannot set the mode of");
    for (std::size_t done = 0; done < contents.size();) {
        const ssize_t n = write(fd, contents.data() + done, contents.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail("cannot write");
        done += static_cast<std::size_t>(n);
    }
    if (fsync(fd) != 0) fail("cannot flush");
    close(fd);
    // The previous file stays as NAME.bak (a second name for it: same owner, mode and bytes), so
    // that a bad save can be undone by hand; the target itself is replaced in one rename.
    if (exists) {
        const std::string backup = *target + ".bak";
        struct stat previous {};
        if (lstat(backup.c_str(), &previous) == 0 && !S_ISREG(previous.st_mode) &&
            !S_ISLNK(previous.st_mode)) {
            unlink(temporary.c_str());
            refuse(backup + ": exists and is not a regular file");
        }
        unlink(backup.c_str()); // a link there is removed, never followed
        if (link(target->c_str(), backup.c_str()) != 0) {
            const std::string reason =
                "cannot keep the previous file as " + backup + ": " + std::strerror(errno);
            unlink(temporary.c_str());
            refuse(reason);
        }
    }
    if (rename(temporary.c_str(), target->c_str()) != 0) {
        const std::string reason = "cannot replace " + *target + ": " + std::strerror(errno);
        unlink(temporary.c_str());
        refuse(reason);
    }
    return *target;
}

} // namespace siitd
