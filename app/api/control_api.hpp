// The control socket's operations (docs/control-api.md): EAMT, pool6, denylist4, pool6791, the
// global settings, counters and the configuration, each turned from a JSON request into a change of
// the running TranslationState or a JSON reply. Runs on the control thread only.
//
// Every command of the protocol (lib/control/protocol.hpp: its name, what it may do, its fields)
// has one handler in the registry (commands()). Reading needs only a connection (the socket's group
// membership); changes are logged with the peer and what changed; the commands that replace a whole
// table or configuration, or write a file, also need the peer to be root or siitd's own user
// (docs/security.md).
#pragma once

#include <sys/types.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/audit.hpp"
#include "api/server.hpp"
#include "capture/capture.hpp"
#include "config/config_file.hpp"
#include "control/entries_request.hpp"
#include "control/protocol.hpp"
#include "control/regular_file.hpp"
#include "dataplane/dataplane.hpp"
#include "kernel/mirror.hpp"
#include "observe/announce.hpp"
#include "ports/link.hpp"
#include "siit/translation_state.hpp"

namespace siitd {

using siit::control::Access;
using siit::control::Lane;

class ControlApi {
  public:
    // `running` is the configuration siitd started from (`config_file`, where `config save` writes
    // by default); its translation part is replaced by the live one whenever it is shown or saved.
    ControlApi(const Config& running, std::string config_file, siit::TranslationState& state,
               const Dataplane& dataplane, const ControlCounters& control);
    // One request line in, one reply line out; never throws. `uid` is the peer's (SO_PEERCRED).
    // The control worker's entry (ControlServer::Handlers::in_turn): any command.
    // The request's text is freed once parsed: a 60 MB one does not stay beside its parse.
    std::string handle(std::string request, uid_t uid);
    // The socket thread's entry (Handlers::at_once): the reply, when the request is small and its
    // command runs at once (Lane::at_once; `status` only while siitd's file is as last read);
    // nothing otherwise. Reads the running version as a reader of `readers` (index `reader`),
    // online only while it answers, so that the control worker never frees what it reads.
    std::optional<std::string> handle_at_once(const std::string& request, uid_t uid);
    void set_reader(siit::QuiescentStateTracker* readers, unsigned reader) {
        readers_ = readers;
        reader_ = reader;
    }
    // SIGHUP and `systemctl reload`: the configuration file siitd started from, read again and
    // applied as config.apply applies one, in one atomic change. Returns the refusals (nothing
    // changed then: the running version keeps working), empty when it was applied. Logged like a
    // control change.
    std::vector<std::string> reload();
    // What siitd's command line overrides in the file (--socket), applied to a reloaded file
    // too, so that a reload does not see them as changes.
    void set_command_line(std::function<void(Config&)> overrides) {
        command_line_ = std::move(overrides);
    }
    // The control thread's tick: logs the ports' link changes (LinkWatch).
    void poll_links() {
        std::lock_guard lock(shared_mutex_);
        link_watch_.poll();
    }
    // Serves `capture`: sessions from `capture`, streamed on connections `server` hands over.
    void set_capture(Capture* capture, ControlServer* server) {
        capture_ = capture;
        server_ = server;
    }
    // Serves `drain`, and `status`'s "announce" (none: drain refused, "announce" null).
    void set_announcer(Announcer* announcer) { announcer_ = announcer; }
    // Serves `neighbours` and `routes` from the kernel mirror (none: empty lists).
    void set_kernel_mirror(KernelMirror* mirror) { mirror_ = mirror; }
    // Whether `uid` may send privileged commands: root, or the user siitd runs as.
    static bool privileged_peer(uid_t uid);

    // A command of the protocol (its name, access, lane and fields: lib/control/protocol.hpp)
    // and the handler siitd runs for it.
    using Handler = nlohmann::json (*)(ControlApi& api, const nlohmann::json& request);
    struct Command {
        siit::control::Command id;
        Handler handler;
        const siit::control::CommandSpec& spec() const { return siit::control::spec(id); }
    };
    // Every command, indexed by siit::control::Command.
    static const std::array<Command, siit::control::kCommandCount>& commands();

  private:
    nlohmann::json version(const nlohmann::json&);
    nlohmann::json eamt_change(siit::EamtChange::Kind kind, const nlohmann::json& request);
    nlohmann::json eamt_replace(const nlohmann::json& request);
    nlohmann::json eamt_flush(const nlohmann::json&);
    nlohmann::json eamt_list(const nlohmann::json& request);
    nlohmann::json eamt_lookup(const nlohmann::json& request);
    nlohmann::json pool6_get(const nlohmann::json&);
    nlohmann::json setting_set(const std::string& name, const nlohmann::json& value);
    nlohmann::json global_get(const nlohmann::json& request);
    nlohmann::json denylist4_list(const nlohmann::json&);
    nlohmann::json denylist4_flush(const nlohmann::json&);
    nlohmann::json denylist4_change(bool add, const nlohmann::json& request);
    nlohmann::json pool6791_list(const nlohmann::json&);
    nlohmann::json pool6791_change(bool add, const nlohmann::json& request);
    nlohmann::json stats(const nlohmann::json& request);
    nlohmann::json ports(const nlohmann::json& request);
    nlohmann::json status(const nlohmann::json&);
    nlohmann::json drain(const nlohmann::json& request);
    nlohmann::json capture(const nlohmann::json& request);
    nlohmann::json drops_since_last_look();
    nlohmann::json config_apply(const nlohmann::json& request);
    nlohmann::json translation_apply(const nlohmann::json& request);
    nlohmann::json config_save(const nlohmann::json& request);
    nlohmann::json config_diff(const nlohmann::json&);
    // The file siitd started from, read again (control/regular_file.hpp's rule, at most
    // config_file_limit) and parsed, with the command line's overrides; throws its problems.
    // Records what it found as the file's view.
    Config read_config_file();

    // What siitd knows of its file without reading it again: the identity of the version last
    // read and a fingerprint of what it held, so that `status` can say whether the running
    // version differs from it in constant time, and re-reads only when the file changed.
    struct FileView {
        std::optional<siit::control::FileIdentity> identity; // empty: cannot be seen
        bool readable = false;            // false: refused (its reason in `problem`)
        std::string problem;              // why not, for `config diff`
        std::string settings;             // its translation settings, as JSON text
        std::string eamt_digest;          // eamt_digest of its table
        bool restart_keys_differ = false; // it changes something that needs a restart
    };
    // The view of `file` (identity `identity`) against the running configuration.
    FileView view_of(const Config& file, std::optional<siit::control::FileIdentity> identity);
    // Whether the file is still the version last read (a stat, no read).
    bool file_view_fresh() const;
    // Whether the running version differs from the file: true, false, or null (unreadable).
    nlohmann::json unsaved_changes();

    // The running version's settings and table, held so that they outlive its publication.
    TranslationSnapshot snapshot() const;
    // Changes the running version through TranslationState::update (the edit runs under its
    // writer lock, on copies); throws the refusal (a bad EAMT, a version siitd could not start
    // from, or whatever the edit itself refuses).
    void change(const std::function<void(siit::TranslationEdit&)>& edit);
    // config.apply's rule: the translation of `config` replaces the running one, refused whole
    // (throws) when any setting that needs a restart differs from the running one.
    void apply_config(const Config& config);
    // The running configuration, translation included.
    Config running() const;

    Config running_;
    std::string config_file_;
    siit::TranslationState& state_;
    const Dataplane& dataplane_;
    const ControlCounters& control_;
    KernelMirror* mirror_ = nullptr;
    Announcer* announcer_ = nullptr;
    Capture* capture_ = nullptr;
    ControlServer* server_ = nullptr;
    LinkWatch link_watch_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    std::function<void(Config&)> command_line_;
    // `stats --reset` moves this baseline; workers' counters are never written by this thread.
    std::vector<std::pair<std::string, std::uint64_t>> baseline_;
    // The counters' totals at the last `status`, for its "top drops since the last look".
    std::vector<std::pair<std::string, std::uint64_t>> status_seen_;
    std::chrono::steady_clock::time_point status_seen_at_ = started_;
    // What the last change did besides the translation (config.save: "wrote FILE"; drain), for
    // the log.
    std::string done_outside_;
    // The request's EAMT list when the one-pass reader took it (control/entries_request.hpp):
    // the handler of eamt.add, eamt.remove or eamt.replace takes it instead of the request's
    // "entries". Set and cleared by handle() around one such request, on the control worker
    // (those commands are all of its lane); empty otherwise.
    std::optional<std::vector<siit::EamEntry>> read_entries_;
    std::vector<siit::EamEntry> take_read_entries();
    // The request read by that reader, when its command takes "entries" and it is in the
    // reader's plain form; else nothing, and the strict reader takes it.
    static std::optional<siit::control::EntriesRequest> read_with_entries(const std::string& text);

    // Guards what both control threads touch: the `stats` baseline, what `status` saw last, the
    // link watch and the file's view.
    mutable std::mutex shared_mutex_;
    FileView file_view_;
    siit::QuiescentStateTracker* readers_ = nullptr;
    unsigned reader_ = 0;
};

} // namespace siitd
