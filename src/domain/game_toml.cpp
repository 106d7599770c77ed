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

// The line of the first key with more than kMaxDepth dotted parts (a header
// `[a.b.c]`, a key `a.b.c = 1`, or one in an inline table), or 0. toml++
// bounds how deep values nest but not how deep dotted keys make tables, and
// frees a table recursively: a key of 100 000 parts crashes the process
// (found by an attacker's audit). This runs before the parse, over the text:
// it counts the dots outside strings and comments between two of the
// characters that end a key (`=`, `,`, `{`, `}`, `[`, `]`, a newline). A
// value between them holds one dot at most (a float, a time).
int line_of_too_dotted_key(std::string_view text) {
  int line = 1, dots = 0;
  std::size_t i = 0;
  auto skip_string = [&](std::string_view quote, bool escapes) {
    i += quote.size();
    while (i < text.size() && text.substr(i, quote.size()) != quote) {
      if (text[i] == '\n') ++line;
      if (escapes && text[i] == '\\') ++i;
      ++i;
    }
    i += quote.size();
  };
  while (i < text.size()) {
    char c = text[i];
    if (text.substr(i, 3) == "\"\"\"") {
      skip_string("\"\"\"", true);
    } else if (text.substr(i, 3) == "'''") {
      skip_string("'''", false);
    } else if (c == '"') {
      skip_string("\"", true);
    } else if (c == '\'') {
      skip_string("'", false);
    } else if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else {
      if (c == '.' && ++dots > kMaxDepth) return line;
      if (c == '\n') ++line;
      if (std::string_view("=,{}[]\n").find(c) != std::string_view::npos) dots = 0;
      ++i;
    }
  }
  return 0;
}

}  // namespace

Result<std::string> game_toml_as_json(std::string_view text, std::string_view source) {
  if (int line = line_of_too_dotted_key(text); line != 0)
    return make_error(Errc::invalid_request,
                      fmt::format("{}:{}: a key of more than {} dotted parts", source, line, kMaxDepth + 1));
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
  if (int line = line_of_too_dotted_key(text); line != 0) return line;
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
