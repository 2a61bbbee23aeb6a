// lib/control/regular_file.cpp: the one reader of files siitd and siitctl did not write.
#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "control/regular_file.hpp"

using siit::control::file_identity;
using siit::control::read_regular_file;

namespace {
struct Dir {
    std::string path;
    Dir() {
        char name[] = "/tmp/siit-regular-file-XXXXXX";
        path = mkdtemp(name);
    }
    ~Dir() { std::system(("rm -rf '" + path + "'").c_str()); }
};
} // namespace

TEST_CASE("regular file: a regular file within the limit is read whole", "[regular_file]") {
    Dir dir;
    const std::string file = dir.path + "/a.json";
    std::ofstream(file) << "{\"a\": 1}\n";
    const auto read = read_regular_file(file, 100, "the test's limit");
    REQUIRE(read.text);
    CHECK(*read.text == "{\"a\": 1}\n");
    CHECK(read.identity == *file_identity(file));
}

TEST_CASE("regular file: a FIFO is refused at once, never waited on", "[regular_file]") {
    Dir dir;
    const std::string fifo = dir.path + "/fifo";
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    const auto read = read_regular_file(fifo, 100, "the test's limit"); // no writer: would block
    CHECK_FALSE(read.text);
    CHECK(read.problem == fifo + ": not a regular file (a FIFO)");
}

TEST_CASE("regular file: devices, links to them and directories are named as what they are",
          "[regular_file]") {
    Dir dir;
    const std::string link = dir.path + "/zero";
    REQUIRE(symlink("/dev/zero", link.c_str()) == 0);
    CHECK(read_regular_file(link, 100, "x").problem ==
          link + ": not a regular file (a character device)");
    CHECK(read_regular_file(dir.path, 100, "x").problem ==
          dir.path + ": not a regular file (a directory)");
    CHECK_THAT(read_regular_file(dir.path + "/absent", 100, "x").problem,
               Catch::StartsWith(dir.path + "/absent: cannot be read: "));
}

TEST_CASE("regular file: a file over the limit is refused before it is read, with the limit",
          "[regular_file]") {
    Dir dir;
    const std::string file = dir.path + "/big";
    std::ofstream(file) << std::string(101, 'x');
    const auto read = read_regular_file(file, 100, "siitd reads of its configuration");
    CHECK_FALSE(read.text);
    CHECK(read.problem ==
          file + ": 101 bytes, more than siitd reads of its configuration (100 bytes)");
    CHECK(read_regular_file(file, 101, "x").text);
}

TEST_CASE("regular file: the identity changes when the file is rewritten or replaced",
          "[regular_file]") {
    Dir dir;
    const std::string file = dir.path + "/f";
    std::ofstream(file) << "one";
    const auto first = *file_identity(file);
    CHECK(*file_identity(file) == first);
    std::ofstream(dir.path + "/g") << "two";
    REQUIRE(rename((dir.path + "/g").c_str(), file.c_str()) == 0);
    CHECK_FALSE(*file_identity(file) == first);
    CHECK_FALSE(file_identity(dir.path + "/absent"));
}
