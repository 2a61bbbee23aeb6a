// siitctl's commands for moving over from Jool or TAYGA: their file becomes one
// translation.apply, all or nothing (jool_import.cpp, tayga_import.cpp).
#include <iostream>

#include "cli.hpp"
#include "input_file.hpp"
#include "jool_import.hpp"
#include "tayga_import.hpp"

namespace siitctl {

namespace {

using nlohmann::json;

using Importer = std::function<json(const std::string& text, std::vector<std::string>& warnings,
                                    std::vector<std::string>& errors)>;

// Reads `file`, turns it into a translation object with `importer`, names every warning and error,
// and applies it (or prints it, for a dry run). Returns the exit status.
int import_file(const Options& o, const std::string& file, bool dry_run, const Importer& importer) {
    std::vector<std::string> warnings, errors;
    const json translation = importer(
        read_input_file(file, dry_run ? kLargestRequest : request_limit(o)), warnings, errors);
    for (const auto& w : warnings)
        std::cerr << "siitctl: " << file << ": " << w << "\n";
    if (!errors.empty()) {
        for (const auto& e : errors)
            std::cerr << "siitctl: " << file << ": " << e << "\n";
        return kExitUsage;
    }
    if (dry_run) {
        std::cout << json{{"translation", translation}}.dump(2) << "\n";
        return 0;
    }
    return request(o, {{"command", "translation.apply"}, {"translation", translation}},
                   [](const json& r) {
                       std::cout << "imported; the EAMT has " << r["entries"] << " entries\n";
                   });
}

} // namespace

void add_import_commands(Cli& cli) {
    struct Arguments {
        std::string file;
        bool dry_run = false;
    };
    auto& arguments = cli.keep<Arguments>();
    const Options& o = cli.options;

    // One subcommand per source format: FILE, --dry-run, and the importer.
    const auto add = [&](const char* name, const char* description, const char* file_help,
                         Importer importer) {
        auto* sub = cli.app.add_subcommand(name, description);
        sub->add_option("FILE", arguments.file, file_help)->required();
        sub->add_flag("-n,--dry-run", arguments.dry_run,
                      "print the siitd settings it becomes; change nothing");
        cli.on(sub, [&o, &arguments, importer] {
            return import_file(o, arguments.file, arguments.dry_run, importer);
        });
    };
    add("import-jool",
        "apply a Jool SIIT atomic configuration (jool_siit file handle FILE): pool6, eamt, "
        "denylist4, pool6791 and the shared globals, all or nothing; what it leaves out stays as "
        "it is",
        "Jool's JSON file ('-': standard input)",
        [&arguments](const std::string& text, std::vector<std::string>& warnings,
                     std::vector<std::string>& errors) {
            return jool_to_translation(parse_json_text(text, arguments.file), warnings, errors);
        });
    add("import-tayga",
        "apply a TAYGA configuration (tayga.conf): prefix becomes pool6, ipv4-addr and ipv6-addr "
        "siitd's own addresses, and the map lines the whole EAMT, all or nothing; dynamic-pool is "
        "refused (siitd is stateless)",
        "tayga.conf ('-': standard input)", tayga_to_translation);
}

} // namespace siitctl
