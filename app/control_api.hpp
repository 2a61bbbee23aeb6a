// The control socket's operations (docs/control-api.md): EAMT, pool6, denylist4, pool6791, the
// global settings, counters and the configuration, each turned from a JSON request into a change of
// the running TranslationState or a JSON reply. Runs on the control thread only.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "config.hpp"
#include "control_server.hpp"
#include "dataplane.hpp"
#include "kernel_mirror.hpp"
#include "siit/translation_state.hpp"

namespace siitd {

inline constexpr int kControlApiVersion = 1;

class ControlApi {
  public:
    // `running` is the configuration siitd started from (`config_file`, where `config save` writes
    // by default); its translation part is replaced by the live one whenever it is shown or saved.
    ControlApi(const Config& running, std::string config_file, siit::TranslationState& state,
               const Dataplane& dataplane, const ControlCounters& control);
    // One request line in, one reply line out; never throws.
    std::string handle(const std::string& request, uid_t uid);
    // Serves `neighbours` and `routes` from the kernel mirror (none: empty lists).
    void set_kernel_mirror(KernelMirror* mirror) { mirror_ = mirror; }

  private:
    nlohmann::json dispatch(const std::string& command, const nlohmann::json& request);
    nlohmann::json eamt_list(const nlohmann::json& request);
    nlohmann::json eamt_lookup(const nlohmann::json& request);
    nlohmann::json stats(const nlohmann::json& request);
    nlohmann::json config_apply(const nlohmann::json& request);
    // Publishes `config` as the new settings, keeping the ports' MTUs (they are not settings),
    // and `eamt` as the new table when given, in one step. Returns the refusals (the EAMT's).
    std::vector<std::string> set_settings(siit::TranslatorConfig config,
                                          std::optional<std::vector<siit::EamEntry>> eamt = {});
    // The running configuration, translation included.
    Config running() const;

    Config running_;
    std::string config_file_;
    siit::TranslationState& state_;
    const Dataplane& dataplane_;
    const ControlCounters& control_;
    KernelMirror* mirror_ = nullptr;
    // `stats --reset` moves this baseline; workers' counters are never written by this thread.
    std::vector<std::pair<std::string, std::uint64_t>> baseline_;
};

} // namespace siitd
