#include "domain/game_toml.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <charconv>
#include <sstream>

namespace webgames {
namespace {

// As deep as a JSON body may nest (parse_json): deeper, the JSON made of the
// TOML would be refused as JSON, which the sender did not write.
constexpr int kMaxDepth = 32;

// The first table or array nested deeper than kMaxDepth, or null.
const toml::node* too_deep(const toml::node& node, int depth) {
  if (const auto* table = node.as_table()) {
    if (depth > kMaxDepth) return &node;
    for (const auto& [key, child] : *table)
      if (const auto* deep = too_deep(child, depth + 1)) return deep;
  } else if (const auto* array = node.as_array()) {
    if (depth > kMaxDepth) return &node;
    for (const auto& child : *array)
      if (const auto* deep = too_deep(child, depth + 1)) return deep;
  }
  return nullptr;
}

}  // namespace

Result<std::string> game_toml_as_json(std::string_view text, std::string_view source) {
  try {
    auto table = toml::parse(text, source);
    if (const auto* deep = too_deep(table, 1))
      return make_error(Errc::invalid_request,
                        fmt::format("{}:{}:{}: values nest deeper than {} levels", source, deep->source().begin.line,
                                    deep->source().begin.column, kMaxDepth));
    std::stringstream out;
    out << toml::json_formatter{table};
    return out.str();
  } catch (const toml::parse_error& e) {
    return make_error(Errc::invalid_request, fmt::format("{}:{}:{}: {}", source, e.source().begin.line,
                                                         e.source().begin.column, e.description()));
  }
}

int toml_line_of(std::string_view text, std::string_view field) {
  toml::table table;
  try {
    table = toml::parse(text);
  } catch (const toml::parse_error& e) {
    return static_cast<int>(e.source().begin.line);
  }
  if (const auto* deep = too_deep(table, 1)) return static_cast<int>(deep->source().begin.line);
  const toml::node* node = &table;
  int line = 0;
  // Steps of the path: ".name" or "[index]"; the first without its dot.
  std::size_t at = 0;
  while (at < field.size() && node != nullptr) {
    const toml::node* next = nullptr;
    if (field[at] == '[') {
      auto close = field.find(']', at);
      if (close == std::string_view::npos) break;
      std::size_t index = 0;
      auto [p, ec] = std::from_chars(field.data() + at + 1, field.data() + close, index);
      if (ec != std::errc{} || p != field.data() + close) break;
      if (const auto* array = node->as_array(); array != nullptr && index < array->size()) next = array->get(index);
      at = close + 1;
    } else {
      if (field[at] == '.') ++at;
      auto end = field.find_first_of(".[", at);
      if (end == std::string_view::npos) end = field.size();
      if (const auto* t = node->as_table(); t != nullptr) next = t->get(field.substr(at, end - at));
      at = end;
    }
    if (next == nullptr) break;
    node = next;
    if (next->source().begin.line > 0) line = static_cast<int>(next->source().begin.line);
  }
  return line;
}

}  // namespace webgames
