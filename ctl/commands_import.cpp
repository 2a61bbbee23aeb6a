// siitctl's commands for moving over from Jool or TAYGA: their file becomes one
// translation.apply, all or nothing (jool_import.cpp, tayga_import.cpp).
#include <fstream>
#include <iostream>

#include "cli.hpp"
#include "control/json_rewrite.hpp"
#include "control/translation_input.hpp"
#include "input_file.hpp"
#include "jool_import.hpp"
#include "tayga_import.hpp"

namespace siitctl {

namespace {

using nlohmann::json;

using Importer = std::function<json(const std::string& text, std::vector<std::string>& warnings,
                                    std::vector<std::string>& errors)>;

struct ImportOptions {
    bool dry_run = false;
    bool merge = false; // import-jool: keep what the file leaves out
    std::string output; // write a siitd configuration file instead of applying
};

// The translation section `translation` makes of the file at `path` (which may not exist yet):
// the whole section, or with `merge` its settings laid over the file's own. Nulls mean "the
// default" to the control socket; in a file, the default is the setting left out.
json section_for_file(const json& config, const json& translation, bool merge) {
    json section = merge && config.contains("translation") && config["translation"].is_object()
                       ? config["translation"]
                       : json::object();
    for (const auto& [key, value] : translation.items()) {
        if (value.is_null())
            section.erase(key);
        else
            section[key] = value;
    }
    return section;
}

// A siitd configuration file as it is, or none yet.
struct ExistingFile {
    std::string text; // empty: no file
    json config = json::object();
};

// Puts `section` into the siitd configuration `file` read from `path` and writes it back (its
// other sections kept, its keys in their order), or into a new file that then needs its "eal" and
// "ports". Says what changed; returns the exit status.
int write_configuration(const std::string& path, const ExistingFile& file, const json& section) {
    json config = file.config;
    config["translation"] = section;
    const auto rewrite = siit::control::rewrite_keeping_order(file.text, config);
    std::ofstream out(path);
    out << rewrite.text;
    if (!out) throw UsageError(path + ": cannot be written");
    std::cout << "wrote the translation to " << path << "\n";
    for (const auto& change : rewrite.changes)
        std::cout << "  " << change << "\n";
    if (!config.contains("ports"))
        std::cerr << "siitctl: " << path
                  << ": add \"eal\" and \"ports\" (deploy/siitd.example.json) "
                     "before siitd starts from it\n";
    return 0;
}

// The siitd configuration at `path`, or an empty one when there is no file yet.
ExistingFile existing_configuration(const std::string& path) {
    if (std::ifstream existing(path); !existing) return {};
    ExistingFile file{read_input_file(path, kLargestRequest)};
    file.config = parse_json_text(file.text, path);
    if (!file.config.is_object()) throw UsageError(path + ": not a siitd configuration file");
    return file;
}

// Reads `file`, turns it into a translation object with `importer`, names every warning and error,
// and applies it (or prints it, or writes it to a file). Returns the exit status.
int import_file(const Options& o, const std::string& file, const ImportOptions& options,
                const Importer& importer, bool whole) {
    std::vector<std::string> warnings, errors;
    const bool local = options.dry_run || !options.output.empty();
    json translation = importer(read_input_file(file, local ? kLargestRequest : request_limit(o)),
                                warnings, errors);
    if (errors.empty() && whole && !options.merge) replace_whole(translation, warnings);
    for (const auto& w : warnings)
        std::cerr << "siitctl: " << file << ": " << w << "\n";
    if (!errors.empty()) {
        for (const auto& e : errors)
            std::cerr << "siitctl: " << file << ": " << e << "\n";
        return kExitUsage;
    }
    // What siitctl prints or writes, siitd must take: the same checks as a file given to siitd
    // (control/translation_input.hpp), or the import fails with siitd's reasons.
    const auto refused = [&](const json& section, const std::string& where, bool whole_section) {
        const auto problems =
            siit::control::check_translation_section(section, "translation.", whole_section);
        for (const auto& p : problems)
            std::cerr << "siitctl: " << where << ": siitd would refuse " << p << "\n";
        return !problems.empty();
    };
    if (options.dry_run) {
        if (refused(translation, file, whole && !options.merge)) return kExitUsage;
        std::cout << json{{"translation", translation}}.dump(2) << "\n";
        return 0;
    }
    if (!options.output.empty()) {
        const ExistingFile file = existing_configuration(options.output);
        const json section = section_for_file(file.config, translation, options.merge || !whole);
        if (refused(section, options.output, true)) return kExitUsage;
        return write_configuration(options.output, file, section);
    }
    return request(o,
                   protocol::make_request(protocol::Command::translation_apply,
                                          {{protocol::field::translation, translation}}),
                   [](const json& r) {
                       std::cout << "imported; the EAMT has " << r["entries"] << " entries\n";
                   });
}

} // namespace

void add_import_commands(Cli& cli) {
    struct Arguments {
        std::string file;
        ImportOptions options;
    };
    auto& arguments = cli.keep<Arguments>();
    const Options& o = cli.options;

    // One subcommand per source format: FILE, --dry-run, -o, and the importer.
    const auto add = [&](const char* name, const char* description, const char* file_help,
                         Importer importer, bool whole) {
        auto* sub = cli.app.add_subcommand(name, description);
        sub->add_option("FILE", arguments.file, file_help)->required();
        sub->add_flag("-n,--dry-run", arguments.options.dry_run,
                      "print the siitd settings it becomes; change nothing");
        sub->add_option("-o,--output", arguments.options.output,
                        "write them into this siitd configuration file (its other sections kept; "
                        "a new file needs \"eal\" and \"ports\") instead of a running siitd");
        if (whole)
            sub->add_flag("--merge", arguments.options.merge,
                          "keep what the file leaves out as it is, instead of Jool's replacing "
                          "the whole configuration");
        cli.on(sub, [&o, &arguments, importer, whole] {
            return import_file(o, arguments.file, arguments.options, importer, whole);
        });
    };
    add(
        "import-jool",
        "apply a Jool SIIT atomic configuration (jool_siit file handle FILE): pool6, eamt, "
        "denylist4, pool6791 and the shared globals, all or nothing. As Jool does, it replaces the "
        "whole translation: what the file leaves out goes back to its default, a table it lacks "
        "is emptied (--merge keeps them)",
        "Jool's JSON file ('-': standard input)",
        [&arguments](const std::string& text, std::vector<std::string>& warnings,
                     std::vector<std::string>& errors) {
            return jool_to_translation(parse_json_text(text, arguments.file, kJoolCommentKey),
                                       warnings, errors);
        },
        true);
    add("import-tayga",
        "apply a TAYGA configuration (tayga.conf): prefix becomes pool6, ipv4-addr and ipv6-addr "
        "siitd's own addresses, and the map lines the whole EAMT, all or nothing; dynamic-pool is "
        "refused (siitd is stateless)",
        "tayga.conf ('-': standard input)", tayga_to_translation, false);
}

} // namespace siitctl
