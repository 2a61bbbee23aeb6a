// docs/conformance.md, the index of every RFC requirement, is checked here: each test it names
// exists, each row with a behaviour names at least one, and its list of missing tests is empty.
// A renamed or deleted test, or a new row without one, fails this test instead of rotting.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const fs::path kRoot = fs::path(SIIT_FIXTURE_DIR) / ".." / "..";

std::string read(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Every Catch2 test case name in tests/lib, tests/app and tests/ctl (adjacent string literals
// joined), and every fixture case of tests/fixtures/rfc7915.txt.
std::vector<std::string> test_names() {
    std::vector<std::string> names;
    const std::regex test_case(R"re(TEST_CASE\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+))re");
    const std::regex literal(R"re("((?:[^"\\]|\\.)*)")re");
    for (const char* binary : {"lib", "app", "ctl"})
        for (const auto& entry : fs::directory_iterator(kRoot / "tests" / binary)) {
            if (entry.path().extension() != ".cpp") continue;
            const std::string text = read(entry.path());
            for (auto it = std::sregex_iterator(text.begin(), text.end(), test_case);
                 it != std::sregex_iterator(); ++it) {
                const std::string literals = (*it)[1];
                std::string name;
                for (auto part = std::sregex_iterator(literals.begin(), literals.end(), literal);
                     part != std::sregex_iterator(); ++part)
                    name += (*part)[1];
                names.push_back(name);
            }
        }
    std::istringstream fixtures(read(kRoot / "tests" / "fixtures" / "rfc7915.txt"));
    for (std::string line; std::getline(fixtures, line);)
        if (line.rfind("case ", 0) == 0) names.push_back(line.substr(5));
    return names;
}

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(" \n");
    if (first == std::string::npos) return "";
    return s.substr(first, s.find_last_not_of(" \n") - first + 1);
}

struct Row {
    std::string id, siitd, tests;
};

std::vector<Row> rows(const std::string& doc) {
    std::vector<Row> out;
    std::istringstream in(doc);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("| ", 0) != 0 || line.rfind("| id ", 0) == 0) continue;
        std::vector<std::string> cells;
        std::size_t start = 1;
        for (std::size_t bar; (bar = line.find('|', start)) != std::string::npos; start = bar + 1)
            cells.push_back(trim(line.substr(start, bar - start)));
        INFO(line);
        REQUIRE(cells.size() == 5); // id, the RFC asks, level, siitd, tests
        out.push_back({cells[0], cells[3], cells[4]});
    }
    return out;
}

} // namespace

TEST_CASE("docs/conformance.md: every requirement row names tests that exist", "[conformance]") {
    const std::string doc = read(kRoot / "docs" / "conformance.md");
    REQUIRE_FALSE(doc.empty());
    const std::vector<std::string> names = test_names();
    REQUIRE(names.size() > 200); // the unit tests and the fixtures were found
    const auto test_exists = [&](const std::string& prefix) {
        for (const auto& name : names)
            if (name.rfind(prefix, 0) == 0) return true;
        return false;
    };

    const std::vector<Row> all = rows(doc);
    CHECK(all.size() > 120); // the index did not lose its tables
    std::set<std::string> ids;
    const std::regex reference("`([^`]*)`");
    for (const Row& row : all) {
        INFO("row " << row.id);
        CHECK(ids.insert(row.id).second); // each id once
        unsigned found = 0;
        for (auto it = std::sregex_iterator(row.tests.begin(), row.tests.end(), reference);
             it != std::sregex_iterator(); ++it, ++found) {
            const std::string ref = (*it)[1];
            INFO("reference " << ref);
            if (ref.rfind("tc:", 0) == 0)
                CHECK(test_exists(ref.substr(3)));
            else if (ref.rfind("e2e:", 0) == 0)
                CHECK(fs::is_regular_file(kRoot / "tests" / "e2e" / ref.substr(4)));
            else if (ref.rfind("golden:", 0) == 0)
                CHECK(fs::is_regular_file(kRoot / "pcaps" / ref.substr(7) / "config.json"));
            else
                FAIL("a reference is tc:, e2e: or golden:");
        }
        // A row states a behaviour of siitd's unless its siitd column starts with "n/a".
        if (row.siitd.rfind("n/a", 0) != 0) CHECK(found > 0);
    }

    const auto missing = doc.find("\n## Missing tests\n");
    REQUIRE(missing != std::string::npos);
    CHECK(trim(doc.substr(missing + 18)) == "None.");
}
