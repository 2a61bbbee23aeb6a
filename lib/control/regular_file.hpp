// Every file siitd and siitctl read that neither of them wrote (siitd's configuration at start,
// --check-config, SIGHUP, `status` and `config diff`; the files siitctl sends and the Jool and
// TAYGA files it imports) is read here, and only here, by one rule: a regular file, opened without
// waiting (a FIFO is refused, not waited on), no larger than a limit, read with that limit
// enforced while reading too (a file that grows meanwhile). A directory is not an empty file,
// /dev/zero (or a link to it) is not an endless one, and a FIFO cannot hold a thread forever.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace siit::control {

// The most siitd reads of its own configuration file, whatever control.max-message-bytes says:
// a million-entry EAMT fits in a quarter of it.
inline constexpr std::size_t kMaxConfigFileBytes = std::size_t{64} << 20;

// What identifies one version of a file: a change to it (an edit in place, a new file renamed
// over it, a link pointed elsewhere) changes one of these.
struct FileIdentity {
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    std::int64_t modified_ns = 0;
    std::int64_t changed_ns = 0; // the inode's ctime: a rename or chmod changes it too
    bool operator==(const FileIdentity&) const = default;
};

// `path`'s identity (symbolic links followed); empty when it cannot be seen. Never opens it.
std::optional<FileIdentity> file_identity(const std::string& path);

struct RegularFile {
    std::optional<std::string> text; // empty when refused
    std::string problem;             // "PATH: not a regular file (a FIFO)", for a person
    FileIdentity identity;           // of what was read
};

// The whole of `path`, when it is a regular file of at most `limit` bytes. `limit_reason` says
// what the limit is, for the refusal: "PATH: N bytes, more than LIMIT_REASON (LIMIT bytes)".
RegularFile read_regular_file(const std::string& path, std::size_t limit,
                              const std::string& limit_reason);

// The same rule for a file already open (siitctl's standard input is one): refused unless it is a
// regular file, a pipe or a terminal; reads at most `limit` bytes.
RegularFile read_open_file(int fd, const std::string& name, std::size_t limit,
                           const std::string& limit_reason, bool allow_streams);

} // namespace siit::control
