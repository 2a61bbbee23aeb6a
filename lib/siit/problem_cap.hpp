// A bound on the problems one refusal lists. A hostile or broken input can hold millions of bad
// items (a 60 MB request of 31 million bad EAMT entries); naming each one would cost gigabytes
// and a reply nobody reads. Each loop over an input's items lists its first kMaxProblemsListed
// problems and counts the rest in one last line, "and N more problems". The refusal is the same
// either way: one problem refuses the whole input.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace siit {

inline constexpr std::size_t kMaxProblemsListed = 100;

class ProblemCap {
  public:
    explicit ProblemCap(std::vector<std::string>& out) : out_(out) {}
    ProblemCap(const ProblemCap&) = delete;
    ProblemCap& operator=(const ProblemCap&) = delete;
    // Appends the count of what was not listed.
    ~ProblemCap() {
        if (unlisted_)
            out_.push_back("and " + std::to_string(unlisted_) + " more problem" +
                           (unlisted_ == 1 ? "" : "s"));
    }
    // One problem; `make` (a callable returning its text) runs only when it is listed, so that
    // counting the millionth costs nothing.
    template <typename Make> void add_made(Make&& make) {
        if (listed_ < kMaxProblemsListed) {
            out_.push_back(std::forward<Make>(make)());
            ++listed_;
        } else {
            ++unlisted_;
        }
    }
    void add(std::string problem) {
        add_made([&] { return std::move(problem); });
    }
    // Whether this loop found any problem (the first is always listed).
    bool any() const { return listed_ != 0; }

  private:
    std::vector<std::string>& out_;
    std::size_t listed_ = 0, unlisted_ = 0;
};

} // namespace siit
