#include "ctl/game_file.h"

#include "domain/game_toml.h"

#include <fstream>
#include <sstream>

namespace webgames::ctl {

Result<std::string> game_file_as_json(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::invalid_request, path + ": cannot be read", "file");
  std::stringstream text;
  text << in.rdbuf();
  return game_toml_as_json(text.str(), path);
}

Result<std::string> game_toml_as_json(std::string_view text, const std::string& source) {
  auto json = webgames::game_toml_as_json(text, source);
  if (!json) return make_error(json.error().code, json.error().message, "file");
  return json;
}

}  // namespace webgames::ctl
