#include "metrics/family.h"

#include <fmt/format.h>

#include <algorithm>

namespace webgames::metrics {

std::string label_text(const std::vector<std::string>& names, const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i) {
    if (i) out += ',';
    out += names[i];
    out += "=\"";
    for (char c : values[i]) {
      if (c == '\\' || c == '"')
        out += {'\\', c};
      else if (c == '\n')
        out += "\\n";
      else
        out += c;
    }
    out += '"';
  }
  return out;
}

void write_header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

namespace {

// (labels, line) pairs sorted by labels, so that a scrape reads the same
// order every time.
template <class Series, class Line>
void render_sorted(const Family<Series>& family, Line line) {
  std::vector<std::pair<std::string_view, const Series*>> all;
  family.for_each([&](const auto&, const std::string& labels, const Series& s) { all.emplace_back(labels, &s); });
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [labels, series] : all) line(labels, *series);
}

std::string braced(std::string_view labels) { return labels.empty() ? std::string() : fmt::format("{{{}}}", labels); }

}  // namespace

void render(std::string& out, std::string_view name, std::string_view help, const Family<Counter>& family) {
  write_header(out, name, "counter", help);
  render_sorted(family, [&](std::string_view labels, const Counter& c) {
    out += fmt::format("{}{} {}\n", name, braced(labels), c.get());
  });
}

void render(std::string& out, std::string_view name, std::string_view help, const Family<Gauge>& family) {
  write_header(out, name, "gauge", help);
  render_sorted(family, [&](std::string_view labels, const Gauge& g) {
    out += fmt::format("{}{} {}\n", name, braced(labels), g.get());
  });
}

void render(std::string& out, std::string_view name, std::string_view help, const Family<Histogram>& family) {
  write_header(out, name, "histogram", help);
  render_sorted(family, [&](std::string_view labels, const Histogram& h) { h.render(out, name, labels); });
}

}  // namespace webgames::metrics
