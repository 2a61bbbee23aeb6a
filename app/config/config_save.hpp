// `config save`: where siitd may write its running configuration, and how. siitd runs as root
// and a member of control.group is not, so the path a client names is never trusted:
// - the target is the file siitd was started from, or a file directly inside the directory
//   named by control.save-directory; anything else is refused with the reason;
// - a symbolic link (or anything but a regular file) at the target is refused, never followed;
// - the new file is written beside the target (created exclusively, not following links), given
//   the old file's owner, group and mode, flushed to disk, and renamed over it, so that a crash
//   leaves the old file or the new one, never half of either.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace siitd {

struct SavePolicy {
    std::string started_from; // the file siitd was started from (--config)
    std::string directory;    // control.save-directory; empty: none
    std::size_t largest_old_file = std::size_t{64} << 20; // the old file is read up to this
};

// The new file's text, made from the old file's (empty when there is none, or it cannot be read
// whole within control.max-message-bytes).
using SaveContents = std::function<std::string(const std::string& old_text)>;

// Writes `contents` to `path` (the started-from file when empty) under `policy`. Returns the path
// written, or throws SaveRefused with a reason a person can act on.
std::string save_config_file(const std::string& path, const SavePolicy& policy,
                             const SaveContents& contents);

struct SaveRefused {
    std::string reason;
};

} // namespace siitd
