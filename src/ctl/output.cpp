#include "ctl/output.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <ctime>
#include <vector>

namespace webgames::ctl {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxCell = 60;

std::string scalar(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_null()) return "-";
  return json::serialize(v);
}

std::string unix_time(const json::value& v) {
  if (!v.is_number()) return scalar(v);
  auto seconds = static_cast<std::time_t>(v.to_number<double>());
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  return fmt::format("{:%Y-%m-%d %H:%M:%S}Z", utc);
}

std::string names(const json::value& v) {
  if (!v.is_array()) return scalar(v);
  std::string out;
  for (const auto& e : v.get_array()) {
    if (!out.empty()) out += ",";
    if (e.is_object()) {
      const auto& o = e.get_object();
      const auto* label = o.if_contains("name");
      if (!label) label = o.if_contains("id");
      out += label ? scalar(*label) : json::serialize(e);
    } else {
      out += scalar(e);
    }
  }
  return out.empty() ? "-" : out;
}

// Display width: UTF-8 continuation bytes take no column.
std::size_t width(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string cut(std::string s) {
  for (auto& c : s)
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  if (width(s) <= kMaxCell) return s;
  std::size_t bytes = 0, columns = 0;
  while (bytes < s.size() && columns < kMaxCell - 1) {
    ++bytes;
    while (bytes < s.size() && (s[bytes] & 0xC0) == 0x80) ++bytes;
    ++columns;
  }
  return s.substr(0, bytes) + "…";
}

void pad_to(std::string& out, std::string_view cell, std::size_t w) {
  out += cell;
  out.append(w - width(cell), ' ');
}

void flatten(const json::value& v, const std::string& key, std::vector<std::pair<std::string, std::string>>& out) {
  if (v.is_object() && !v.get_object().empty()) {
    for (const auto& [k, child] : v.get_object())
      flatten(child, key.empty() ? std::string(k) : key + "." + std::string(k), out);
  } else if (v.is_array() && std::any_of(v.get_array().begin(), v.get_array().end(),
                                         [](const json::value& e) { return e.is_object() || e.is_array(); })) {
    std::size_t i = 0;
    for (const auto& e : v.get_array()) out.emplace_back(fmt::format("{}[{}]", key, i++), json::serialize(e));
  } else if (v.is_array()) {
    out.emplace_back(key, v.get_array().empty() ? "-" : names(v));
  } else if (v.is_object()) {
    out.emplace_back(key, "-");
  } else {
    out.emplace_back(key, scalar(v));
  }
}

}  // namespace

const json::value* value_at(const json::object& row, std::string_view path) {
  const json::object* at = &row;
  while (true) {
    auto dot = path.find('.');
    const auto* v = at->if_contains(path.substr(0, dot));
    if (!v || dot == std::string_view::npos) return v;
    if (!v->is_object()) return nullptr;
    at = &v->get_object();
    path.remove_prefix(dot + 1);
  }
}

std::string render_table(const json::array& rows, std::span<const Column> columns) {
  std::vector<std::vector<std::string>> cells;
  std::vector<std::size_t> widths;
  for (const auto& c : columns) widths.push_back(width(c.title));
  for (const auto& row : rows) {
    if (!row.is_object()) continue;
    auto& line = cells.emplace_back();
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const auto* v = value_at(row.get_object(), columns[i].path);
      std::string cell = !v                                     ? "-"
                         : columns[i].kind == Column::unix_time ? unix_time(*v)
                         : columns[i].kind == Column::names     ? names(*v)
                                                                : scalar(*v);
      line.push_back(cut(cell.empty() ? "-" : std::move(cell)));
      widths[i] = std::max(widths[i], width(line.back()));
    }
  }
  std::string out;
  auto emit = [&](auto cell_of) {
    std::string line;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i + 1 == columns.size()) {
        line += cell_of(i);
      } else {
        pad_to(line, cell_of(i), widths[i]);
        line += "  ";
      }
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  };
  emit([&](std::size_t i) { return std::string(columns[i].title); });
  for (const auto& line : cells) emit([&](std::size_t i) { return line[i]; });
  if (cells.empty()) out += "(none)\n";
  return out;
}

std::string render_fields(const json::object& object) {
  std::vector<std::pair<std::string, std::string>> lines;
  for (const auto& [k, v] : object) flatten(v, std::string(k), lines);
  std::size_t w = 0;
  for (const auto& [k, v] : lines) w = std::max(w, width(k));
  std::string out;
  for (const auto& [k, v] : lines) {
    std::string line;
    pad_to(line, k + ":", w + 1);
    out += line + " " + v + "\n";
  }
  return out;
}

}  // namespace webgames::ctl
