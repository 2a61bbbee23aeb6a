// The Prometheus text format writer (lib/control/metrics_text.cpp): what it writes for a family and
// its samples, and that no description or label value can break a line or a quoted string.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "control/metrics_text.hpp"

using siit::control::MetricsText;

TEST_CASE("metrics text: a family is HELP, TYPE, then its samples, one per line", "[metrics]") {
    MetricsText page;
    page.family("siitd_rx_packets_total", MetricsText::Type::counter, "packets received");
    page.sample("siitd_rx_packets_total", {{"worker", "0"}}, std::uint64_t{18446744073709551615u});
    page.sample("siitd_rx_packets_total", {{"worker", "1"}, {"direction", "4to6"}},
                std::uint64_t{0});
    page.family("siitd_eamt_entries", MetricsText::Type::gauge, "entries");
    page.sample("siitd_eamt_entries", {}, std::uint64_t{3});
    CHECK(page.text() == "# HELP siitd_rx_packets_total packets received\n"
                         "# TYPE siitd_rx_packets_total counter\n"
                         "siitd_rx_packets_total{worker=\"0\"} 18446744073709551615\n"
                         "siitd_rx_packets_total{worker=\"1\",direction=\"4to6\"} 0\n"
                         "# HELP siitd_eamt_entries entries\n"
                         "# TYPE siitd_eamt_entries gauge\n"
                         "siitd_eamt_entries 3\n");
}

TEST_CASE("metrics text: HELP and label values are escaped as the format says", "[metrics]") {
    CHECK(MetricsText::escape_help("a\\b\nc \"d\"") == "a\\\\b\\nc \"d\"");
    CHECK(MetricsText::escape_label_value("a\\b\nc \"d\"") == "a\\\\b\\nc \\\"d\\\"");
    MetricsText page;
    page.family("x", MetricsText::Type::gauge, "two\nlines");
    page.sample("x", {{"port", "eth\"0\n"}}, std::uint64_t{1});
    CHECK(page.text() == "# HELP x two\\nlines\n# TYPE x gauge\nx{port=\"eth\\\"0\\n\"} 1\n");
}

TEST_CASE("metrics text: floating values keep their precision, and NaN and infinities are named",
          "[metrics]") {
    MetricsText page;
    page.sample("a", {}, 5.25e-08);
    page.sample("b", {}, 1764530000.125);
    page.sample("c", {}, std::numeric_limits<double>::quiet_NaN());
    page.sample("d", {}, -std::numeric_limits<double>::infinity());
    CHECK(page.text() == "a 5.25e-08\nb 1764530000.125\nc NaN\nd -Inf\n");
}
