// libFuzzer target: the control API's request handling (app/api/control_api.cpp) with a real
// TranslationState, no socket and no EAL. The input's first byte picks the peer (root or a group
// member), the rest is request lines. Every request must get a reply that is one JSON object, and
// after the input's requests the running configuration must still be one siitd starts from: the
// rule that a careless sequence of commands can never leave the box unable to come back.
//
// One data plane and one translation state serve the whole process (building them per input cost
// nine tenths of the time); each input starts from the same running version and a fresh API. The
// input's first byte also says which entry answers (the socket thread's at-once entry, which may
// decline, then the control worker's; or the control worker's alone) and whether the round trip
// through config.show and the parser is checked after the input's last request (one input in
// four: the parse is the costliest part of a run).
#include <rte_log.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/control_api.hpp"

namespace {

const char* kRunning = R"({
  "ports": [{"name": "lan", "device": "net_null0", "role": "both"}],
  "translation": {"pool6": "64:ff9b::/96",
                  "eamt": [{"ipv4": "198.51.100.0/24", "ipv6": "2001:db8:100::/120"}]}
})";

std::string g_config_file;

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    rte_log_set_global_level(RTE_LOG_ERR); // the audit lines, once per request, are not the point
    // config.save may write: a file of its own in a directory of its own (tmpfs when there is one).
    char dir[] = "/dev/shm/siitd-fuzz-XXXXXX";
    char fallback[] = "/tmp/siitd-fuzz-XXXXXX";
    const char* made = mkdtemp(dir);
    if (!made) made = mkdtemp(fallback);
    if (!made) std::abort();
    g_config_file = std::string(made) + "/siitd.json";
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static const siitd::Config running = [] {
        std::vector<std::string> errors;
        return *siitd::parse_config(kRunning, "running.json", errors);
    }();
    static siitd::RteQsbr qsbr(4);
    static siit::TranslationState state(nullptr);
    static siitd::Dataplane dataplane(running, state, qsbr);
    static siitd::ControlCounters counters;
    // The same running version for every input: set once, and again after each input (so that
    // what an input allocates it also frees, and libFuzzer's leak check stays quiet).
    static const bool first = state.replace_all(running.translation, running.eamt).empty();
    if (!first) std::abort();
    struct Reset {
        ~Reset() {
            if (!state.replace_all(running.translation, running.eamt).empty()) std::abort();
        }
    } reset;
    siitd::ControlApi api(running, g_config_file, state, dataplane, counters);
    const uid_t uid = data[0] & 1 ? 65534 : 0;
    const bool at_once_first = data[0] & 2;
    const bool round_trip = (data[0] & 12) == 12;

    const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        const std::string line = text.substr(start, end - start);
        // Both entries: the socket thread's (which may decline) and the control worker's.
        const auto at_once = at_once_first ? api.handle_at_once(line, uid) : std::nullopt;
        const nlohmann::json reply =
            nlohmann::json::parse(at_once ? *at_once : api.handle(line, uid));
        if (!reply.is_object() || !reply.contains("ok")) std::abort();
        start = end + 1;
    }
    if (!round_trip) return 0;
    const nlohmann::json shown =
        nlohmann::json::parse(api.handle(R"({"command": "config.show"})", 0));
    std::vector<std::string> errors;
    if (!siitd::parse_config(shown["result"].dump(), "shown.json", errors)) std::abort();
    return 0;
}
