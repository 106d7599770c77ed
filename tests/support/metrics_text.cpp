#include "support/metrics_text.h"

#include <fstream>
#include <regex>
#include <sstream>

namespace webgames::testing {

namespace {

std::string trim(std::string s) {
  auto first = s.find_first_not_of(" \t");
  auto last = s.find_last_not_of(" \t");
  return first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
}

// Parses `{a="x",b="y"}` from `pos` (at the brace); false when malformed.
bool parse_labels(const std::string& line, std::size_t& pos, std::map<std::string, std::string>& out) {
  ++pos;  // {
  while (pos < line.size() && line[pos] != '}') {
    auto eq = line.find('=', pos);
    if (eq == std::string::npos || eq + 1 >= line.size() || line[eq + 1] != '"') return false;
    auto name = line.substr(pos, eq - pos);
    std::string value;
    std::size_t i = eq + 2;
    for (; i < line.size() && line[i] != '"'; ++i) {
      if (line[i] == '\\' && i + 1 < line.size()) {
        ++i;
        value += line[i] == 'n' ? '\n' : line[i];
      } else {
        value += line[i];
      }
    }
    if (i >= line.size()) return false;
    out[name] = value;
    pos = i + 1;
    if (pos < line.size() && line[pos] == ',') ++pos;
  }
  if (pos >= line.size()) return false;
  ++pos;  // }
  return true;
}

}  // namespace

std::string family_of(const std::string& sample_name, const std::map<std::string, std::string>& types) {
  for (std::string suffix : {"_bucket", "_sum", "_count"}) {
    if (sample_name.size() <= suffix.size() || !sample_name.ends_with(suffix)) continue;
    auto base = sample_name.substr(0, sample_name.size() - suffix.size());
    auto it = types.find(base);
    if (it != types.end() && it->second == "histogram") return base;
  }
  return sample_name;
}

Exposition parse_exposition(const std::string& text) {
  Exposition e;
  std::map<std::string, std::string> types;
  std::istringstream in(text);
  std::string line;
  static const std::regex type_line(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped))");
  static const std::regex name_re(R"([a-zA-Z_:][a-zA-Z0-9_:]*)");
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::smatch m;
    if (line.starts_with("# TYPE ")) {
      if (!std::regex_match(line, m, type_line)) {
        e.errors.push_back("bad TYPE: " + line);
        continue;
      }
      if (types.contains(m[1])) e.errors.push_back("TYPE twice: " + line);
      types[m[1]] = m[2];
      e.metrics[m[1]].type = m[2];
      continue;
    }
    if (line.starts_with("#")) continue;
    Sample s;
    std::size_t pos = line.find_first_of("{ ");
    if (pos == std::string::npos) {
      e.errors.push_back("bad sample: " + line);
      continue;
    }
    s.name = line.substr(0, pos);
    if (!std::regex_match(s.name, name_re) || (line[pos] == '{' && !parse_labels(line, pos, s.labels)) ||
        pos >= line.size() || line[pos] != ' ') {
      e.errors.push_back("bad sample: " + line);
      continue;
    }
    try {
      s.value = std::stod(line.substr(pos + 1));
    } catch (const std::exception&) {
      e.errors.push_back("bad value: " + line);
      continue;
    }
    auto family = family_of(s.name, types);
    auto it = e.metrics.find(family);
    if (it == e.metrics.end()) {
      e.errors.push_back("sample before (or without) its TYPE: " + line);
      continue;
    }
    for (const auto& [name, value] : s.labels)
      if (!(name == "le" && s.name.ends_with("_bucket"))) it->second.label_names.insert(name);
    ++it->second.samples;
    e.samples.push_back(std::move(s));
  }
  return e;
}

std::optional<double> Exposition::value(const std::string& name,
                                        const std::map<std::string, std::string>& labels) const {
  std::optional<double> found;
  for (const auto& s : samples) {
    if (s.name != name) continue;
    bool match = true;
    for (const auto& [k, v] : labels)
      if (auto it = s.labels.find(k); it == s.labels.end() || it->second != v) match = false;
    if (!match) continue;
    if (found) return std::nullopt;
    found = s.value;
  }
  return found;
}

std::map<std::string, DocumentedMetric> read_metrics_table(const std::filesystem::path& operations_md) {
  std::map<std::string, DocumentedMetric> out;
  std::ifstream in(operations_md);
  std::string line;
  static const std::regex backticked("`([^`]*)`");
  while (std::getline(in, line)) {
    if (!line.starts_with("| `webgames_")) continue;
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream row(line.substr(1));
    while (std::getline(row, cell, '|')) cells.push_back(trim(cell));
    if (cells.size() < 5) continue;
    DocumentedMetric d;
    auto name = cells[0].substr(1, cells[0].size() - 2);  // `name`
    d.type = cells[1];
    for (std::sregex_iterator it(cells[2].begin(), cells[2].end(), backticked), end; it != end; ++it)
      d.label_names.insert((*it)[1]);
    d.when = cells[3];
    out[name] = d;
  }
  return out;
}

}  // namespace webgames::testing
