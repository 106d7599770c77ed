#include "ctl/game_file.h"

#include "domain/game_toml.h"

#include <boost/json/parse.hpp>

#include <fstream>
#include <sstream>

namespace webgames::ctl {

Result<GameFile> read_game_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::invalid_request, path + ": cannot be read", "file");
  std::stringstream text;
  text << in.rdbuf();
  GameFile file{text.str(), ""};
  auto json = game_toml_as_json(file.toml, path);
  if (!json) return make_error(json.error().code, json.error().message, "file");
  const auto* name = boost::json::parse(*json).as_object().if_contains("name");
  if (name && name->is_string()) file.name = name->get_string();
  return file;
}

}  // namespace webgames::ctl
