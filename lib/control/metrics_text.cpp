#include "control/metrics_text.hpp"

#include <cmath>
#include <cstdio>

namespace siit::control {

std::string MetricsText::escape_help(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

std::string MetricsText::escape_label_value(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

void MetricsText::family(std::string_view name, Type type, std::string_view help) {
    text_ += "# HELP ";
    text_ += name;
    text_ += ' ';
    text_ += escape_help(help);
    text_ += "\n# TYPE ";
    text_ += name;
    text_ += type == Type::counter ? " counter\n" : " gauge\n";
}

void MetricsText::sample_start(std::string_view name, const Labels& labels) {
    text_ += name;
    if (!labels.empty()) {
        text_ += '{';
        for (std::size_t i = 0; i < labels.size(); ++i) {
            if (i) text_ += ',';
            text_ += labels[i].first;
            text_ += "=\"";
            text_ += escape_label_value(labels[i].second);
            text_ += '"';
        }
        text_ += '}';
    }
    text_ += ' ';
}

void MetricsText::sample(std::string_view name, const Labels& labels, std::uint64_t value) {
    sample_start(name, labels);
    text_ += std::to_string(value);
    text_ += '\n';
}

void MetricsText::sample(std::string_view name, const Labels& labels, double value) {
    sample_start(name, labels);
    if (std::isnan(value)) {
        text_ += "NaN\n";
        return;
    }
    if (std::isinf(value)) {
        text_ += value > 0 ? "+Inf\n" : "-Inf\n";
        return;
    }
    char number[32];
    std::snprintf(number, sizeof number, "%.17g", value);
    text_ += number;
    text_ += '\n';
}

} // namespace siit::control
