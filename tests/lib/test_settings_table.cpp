// The translation settings table (lib/control/translation_settings.cpp): each setting reads what
// it writes and resets to its default, and the README's and docs/siitd.conf.md's settings tables
// are the table's own rows, so that the documentation cannot drift from the code.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "control/translation_settings.hpp"

using namespace siit;
using namespace siit::control;

namespace {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

const std::filesystem::path kRoot = std::filesystem::path(SIIT_FIXTURE_DIR) / ".." / "..";

// The lines of `doc` from the heading that starts with `heading` to the next one of its level.
std::vector<std::string> section(const std::string& doc, const std::string& heading) {
    std::istringstream in(doc);
    std::vector<std::string> lines;
    bool inside = false;
    const std::string level = heading.substr(0, heading.find(' ') + 1);
    for (std::string line; std::getline(in, line);) {
        if (!inside && line.rfind(heading, 0) == 0) {
            inside = true;
            continue;
        }
        if (inside && line.rfind(level, 0) == 0) break;
        if (inside) lines.push_back(line);
    }
    return lines;
}

std::string shown_default(const TranslationSetting& s) {
    const std::string d = default_text(s);
    return d == "unset" ? d : "`" + d + "`";
}

// Every row of a settings table in `lines` that starts with a backquoted name, by name.
std::set<std::string> documented(const std::vector<std::string>& lines) {
    std::set<std::string> names;
    for (const auto& line : lines)
        if (line.rfind("| `", 0) == 0) names.insert(line.substr(3, line.find('`', 3) - 3));
    return names;
}

} // namespace

TEST_CASE("settings table: each setting reads what it writes, and resets to its default",
          "[settings]") {
    std::set<std::string_view> names;
    for (const auto& s : translation_settings()) {
        INFO(s.name);
        CHECK(names.insert(s.name).second);
        CHECK(find_translation_setting(s.name) == &s);
        if (!s.jool.empty()) CHECK(find_translation_setting_by_jool_name(s.jool) == &s);
        const TranslatorConfig defaults;
        TranslatorConfig c;
        const nlohmann::json value = s.write(defaults);
        if (!value.is_null()) {
            CHECK_FALSE(s.read(value, c));
            CHECK(s.write(c) == value);
        }
        // A wrong type is refused with the reason, the configuration untouched.
        const nlohmann::json wrong = value.is_string() ? nlohmann::json(7) : nlohmann::json("x");
        const auto before = s.write(c);
        CHECK(s.read(wrong, c).value_or("").size() > 0);
        CHECK(s.write(c) == before);
        s.reset(c);
        CHECK(s.write(c) == value);
    }
    TranslatorConfig c;
    CHECK(*find_translation_setting("new-tos")->read(300, c) == "must be between 0 and 255");
    CHECK(*find_translation_setting("eam-hairpin-mode")->read("both", c) ==
          "must be off, simple or intrinsic (or Jool's 0, 1, 2)");
    CHECK(*find_translation_setting("eam-hairpin-mode")->read(3, c) ==
          "must be off, simple or intrinsic (or Jool's 0, 1, 2)");
    // Jool's numbers name the modes wherever a setting is read (file, socket, importers).
    CHECK_FALSE(find_translation_setting("eam-hairpin-mode")->read(1, c));
    CHECK(c.hairpin_mode == siit::HairpinMode::simple);
    CHECK_FALSE(find_translation_setting("mtu-plateaus")->read({1006, 65535, 508}, c));
    CHECK(c.mtu_plateaus == std::vector<std::uint16_t>{65535, 1006, 508}); // sorted, largest first
}

TEST_CASE("settings table: the README and docs/siitd.conf.md list exactly its settings",
          "[settings]") {
    const auto readme = section(read_file(kRoot / "README.md"), "### Settings");
    const auto conf = section(read_file(kRoot / "docs" / "siitd.conf.md"), "## Translation");
    const auto has_line = [](const std::vector<std::string>& lines, const std::string& line) {
        return std::find(lines.begin(), lines.end(), line) != lines.end();
    };
    std::set<std::string> expected;
    for (const auto& s : translation_settings()) {
        const std::string name(s.name);
        expected.insert(name);
        const std::string readme_row =
            "| `" + name + "` | " + shown_default(s) + " | " + std::string(s.meaning) + " |";
        const std::string conf_row = "| `" + name + "` | " + std::string(s.values) + " | " +
                                     shown_default(s) + " | " + std::string(s.meaning) + " |";
        INFO("README row: " << readme_row);
        CHECK(has_line(readme, readme_row));
        INFO("siitd.conf.md row: " << conf_row);
        CHECK(has_line(conf, conf_row));
    }
    CHECK(documented(readme) == expected);
    expected.insert("eamt"); // the table of mappings, not a setting
    CHECK(documented(conf) == expected);
}
