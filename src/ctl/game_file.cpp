#include "ctl/game_file.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <sstream>

namespace webgames::ctl {
namespace {

template <class Parse>
Result<std::string> as_json(Parse parse, std::string_view source) {
  try {
    auto table = parse();
    std::stringstream out;
    out << toml::json_formatter{table};
    return out.str();
  } catch (const toml::parse_error& e) {
    return make_error(
        Errc::invalid_request,
        fmt::format("{}:{}:{}: {}", source, e.source().begin.line, e.source().begin.column, e.description()), "file");
  }
}

}  // namespace

Result<std::string> game_file_as_json(const std::string& path) {
  return as_json([&] { return toml::parse_file(path); }, path);
}

Result<std::string> game_toml_as_json(std::string_view text, const std::string& source) {
  return as_json([&] { return toml::parse(text, source); }, source);
}

}  // namespace webgames::ctl
