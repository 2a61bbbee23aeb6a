// The Prometheus text exposition format (version 0.0.4), which Prometheus scrapes and `promtool
// check metrics` validates: one family at a time, its HELP and TYPE, then its samples. The writer
// escapes what the format says must be escaped, so that a counter's description or a port's name
// can never break the page.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace siit::control {

class MetricsText {
  public:
    using Labels = std::vector<std::pair<std::string, std::string>>;
    enum class Type : std::uint8_t { counter, gauge };

    // Starts a family. A counter's name ends in _total (the format's convention, and promtool's).
    void family(std::string_view name, Type type, std::string_view help);
    // One sample of the current family (`name` is the family's, unless a suffix is meant).
    void sample(std::string_view name, const Labels& labels, double value);
    void sample(std::string_view name, const Labels& labels, std::uint64_t value);

    const std::string& text() const { return text_; }

    // HELP text: backslash and line feed escaped.
    static std::string escape_help(std::string_view text);
    // A label value: backslash, double quote and line feed escaped.
    static std::string escape_label_value(std::string_view text);

  private:
    void sample_start(std::string_view name, const Labels& labels);
    std::string text_;
};

// The HTTP Content-Type of the format.
inline constexpr const char* kMetricsTextContentType = "text/plain; version=0.0.4; charset=utf-8";

} // namespace siit::control
