// "Did you mean"; see suggest.hpp.
#include "suggest.hpp"

#include <algorithm>

namespace siitctl {

namespace {

// Optimal string alignment distance: Levenshtein's, with a swap of two neighbours as one edit
// ("stauts" for "status").
std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i)
        d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j)
        d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

// The subcommand of `app` named `name`, or null.
const CLI::App* subcommand_named(const CLI::App& app, const std::string& name) {
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
        if (sub->check_name(name)) return sub;
    return nullptr;
}

// Whether `token` is an option of `app` or of a command above it that takes a value, given apart
// from it ("-s PATH", not "--socket=PATH").
bool takes_separate_value(const CLI::App* app, const std::string& token) {
    if (token.find('=') != std::string::npos) return false;
    for (; app != nullptr; app = app->get_parent())
        if (const CLI::Option* option = app->get_option_no_throw(token))
            return option->get_items_expected_min() > 0;
    return false;
}

} // namespace

std::string closest_word(const std::string& word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_distance = 3;
    for (const auto& candidate : candidates) {
        const std::size_t distance = edit_distance(word, candidate);
        if (distance < best_distance && distance < word.size()) {
            best = candidate;
            best_distance = distance;
        }
    }
    return best;
}

std::string unknown_subcommand_message(const CLI::App& app, int argc, const char* const* argv) {
    const CLI::App* at = &app;
    std::string path = app.get_name();
    for (int i = 1; i < argc; ++i) {
        const std::string token = argv[i];
        if (token == "--") return "";
        if (token.size() > 1 && token[0] == '-') {
            if (takes_separate_value(at, token)) ++i;
            continue;
        }
        const auto subs = at->get_subcommands([](const CLI::App*) { return true; });
        if (subs.empty()) return ""; // a command's own arguments from here on
        if (const CLI::App* sub = subcommand_named(*at, token)) {
            at = sub;
            path += " " + sub->get_name();
            continue;
        }
        std::vector<std::string> names;
        for (const CLI::App* sub : subs)
            names.push_back(sub->get_name());
        const std::string near = closest_word(token, names);
        return "unknown subcommand '" + token + "' for '" + path + "'" +
               (near.empty() ? "" : "; did you mean '" + near + "'?") + " (" + path +
               " --help lists them)";
    }
    return "";
}

} // namespace siitctl
