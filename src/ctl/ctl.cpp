#include "ctl/ctl.h"

#include "core/error.h"
#include "core/json_fields.h"
#include "ctl/game_file.h"
#include "ctl/http_client.h"

#include <fmt/format.h>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>

namespace webgames::ctl {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using boost::beast::http::verb;

constexpr std::string_view kDefaultServer = "http://127.0.0.1:8080";

struct Options {
  std::string server;  // empty: the one logged in to, else kDefaultServer
  std::string username;
  std::string password;
  std::string role = "player";
  std::string file;
  std::string name;
  std::function<int()> action;
};

Options& options() {
  static Options o;
  return o;
}

fs::path credentials_path() {
  if (const char* p = std::getenv("WEBGAMES_CREDENTIALS")) return p;
  const char* home = std::getenv("HOME");
  return fs::path(home ? home : ".") / ".config" / "webgames" / "credentials.json";
}

json::object load_credentials() {
  std::ifstream in(credentials_path());
  if (!in) return {};
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  auto v = json::parse(text.str(), ec);
  return !ec && v.is_object() ? v.get_object() : json::object{};
}

// Written to a private temporary file, then renamed: the tokens are never
// readable by others, not even for a moment.
void save_credentials(const json::object& c) {
  auto path = credentials_path();
  fs::create_directories(path.parent_path());
  auto temp = path.string() + ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) throw std::runtime_error("cannot write " + temp);
  auto text = json::serialize(c) + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::close(fd) == 0 && ok;
  if (!ok) throw std::runtime_error("cannot write " + temp);
  fs::rename(temp, path);
}

std::string stored(const json::object& c, std::string_view key) {
  auto* v = c.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// Prints the server's answer: the JSON body on success, its error on failure.
int report(const Result<HttpResult>& r) {
  if (!r) {
    std::cerr << "error: " << r.error().message << "\n";
    return 1;
  }
  boost::system::error_code ec;
  auto body = r->body.empty() ? json::value() : json::parse(r->body, ec);
  if (r->status >= 400) {
    const json::value* e = (!ec && body.is_object()) ? body.get_object().if_contains("error") : nullptr;
    if (e && e->is_object()) {
      auto& o = e->get_object();
      std::cerr << "error " << r->status << " " << json::serialize(o.at("code")) << ": "
                << std::string_view(o.at("message").as_string());
      if (auto* f = o.if_contains("field")) std::cerr << " (field " << std::string_view(f->as_string()) << ")";
      std::cerr << "\n";
    } else {
      std::cerr << "error " << r->status << ": " << r->body << "\n";
    }
    return 1;
  }
  if (!r->body.empty()) std::cout << r->body << "\n";
  return 0;
}

std::string server_url() {
  if (!options().server.empty()) return options().server;
  auto saved = stored(load_credentials(), "server");
  return saved.empty() ? std::string(kDefaultServer) : saved;
}

Result<Endpoint> server_endpoint() { return parse_server_url(server_url()); }

// Sends a request with the stored credentials; on an expired access token,
// refreshes it once and retries.
Result<HttpResult> call(verb method, std::string_view target, std::string_view body = {}) {
  auto server = server_endpoint();
  if (!server) return server.error();
  if (const char* token = std::getenv("WEBGAMES_TOKEN")) return http_request(*server, method, target, body, token);
  auto creds = load_credentials();
  auto result = http_request(*server, method, target, body, stored(creds, "access_token"));
  if (!result || result->status != 401 || stored(creds, "refresh_token").empty()) return result;
  auto refreshed = http_request(*server, verb::post, "/v1/auth/refresh",
                                json::serialize(json::object{{"refresh_token", stored(creds, "refresh_token")}}), "");
  if (!refreshed || refreshed->status != 200) return result;
  auto tokens = json::parse(refreshed->body).as_object();
  creds["access_token"] = tokens["access_token"];
  creds["refresh_token"] = tokens["refresh_token"];
  save_credentials(creds);
  return http_request(*server, method, target, body, stored(creds, "access_token"));
}

std::string password() {
  if (!options().password.empty()) return options().password;
  if (const char* p = std::getenv("WEBGAMES_PASSWORD")) return p;
  std::cerr << "password: ";
  termios saved{};
  bool tty = ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (tty) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << "\n";
  }
  return line;
}

int start_session(std::string_view route, json::object body) {
  auto server = server_endpoint();
  if (!server) return report(server.error());
  auto result = http_request(*server, verb::post, route, json::serialize(body), "");
  if (!result || result->status >= 400) return report(result);
  auto tokens = json::parse(result->body).as_object();
  json::object creds{{"server", server_url()},
                     {"username", tokens["account"].as_object()["username"]},
                     {"access_token", tokens["access_token"]},
                     {"refresh_token", tokens["refresh_token"]}};
  save_credentials(creds);
  std::cout << "logged in as " << std::string_view(tokens["account"].as_object()["username"].as_string()) << " ("
            << std::string_view(tokens["account"].as_object()["role"].as_string()) << ") at " << server_url() << "\n";
  return 0;
}

int create_game() {
  auto body = game_file_as_json(options().file);
  if (!body) return report(body.error());
  return report(call(verb::post, "/v1/games", *body));
}

}  // namespace

void add_ctl_commands(CLI::App& ctl) {
  auto& o = options();
  ctl.add_option("--server", o.server, "Webgames API URL (Default: the one logged in to, else http://127.0.0.1:8080)")
      ->envname("WEBGAMES_SERVER");
  ctl.require_subcommand(1);

  auto* reg = ctl.add_subcommand("register", "create an account and log in");
  reg->add_option("--username", o.username, "3 to 32 of a-z, 0-9, _ . -")->required();
  reg->add_option("--password", o.password, "or $WEBGAMES_PASSWORD, or asked on stdin");
  reg->add_option("--role", o.role, "player or developer")->capture_default_str();
  reg->callback([&o] {
    o.action = [&o] {
      return start_session("/v1/auth/register", {{"username", o.username}, {"password", password()}, {"role", o.role}});
    };
  });

  auto* login = ctl.add_subcommand("login", "log in and keep the tokens");
  login->add_option("--username", o.username)->required();
  login->add_option("--password", o.password, "or $WEBGAMES_PASSWORD, or asked on stdin");
  login->callback([&o] {
    o.action = [&o] { return start_session("/v1/auth/login", {{"username", o.username}, {"password", password()}}); };
  });

  ctl.add_subcommand("logout", "revoke the stored login")->callback([&o] {
    o.action = [] {
      int rc = report(call(verb::post, "/v1/auth/logout"));
      std::error_code ec;
      fs::remove(credentials_path(), ec);
      return rc;
    };
  });

  ctl.add_subcommand("whoami", "show the logged-in account")->callback([&o] {
    o.action = [] { return report(call(verb::get, "/v1/account")); };
  });

  auto* games = ctl.add_subcommand("games", "manage your games");
  games->require_subcommand(1);
  auto* create = games->add_subcommand("create", "register a game from a TOML file");
  create->add_option("file", o.file, "game file (docs/game-spec.md)")->required()->check(CLI::ExistingFile);
  create->callback([&o] { o.action = create_game; });
  games->add_subcommand("list", "list your games")->callback([&o] {
    o.action = [] { return report(call(verb::get, "/v1/games")); };
  });
  auto* show = games->add_subcommand("show", "show one game");
  show->add_option("name", o.name)->required();
  show->callback([&o] { o.action = [&o] { return report(call(verb::get, "/v1/games/" + o.name)); }; });
  auto* remove = games->add_subcommand("delete", "delete one game");
  remove->add_option("name", o.name)->required();
  remove->callback([&o] { o.action = [&o] { return report(call(verb::delete_, "/v1/games/" + o.name)); }; });

  auto* keys = ctl.add_subcommand("keys", "manage your API keys");
  keys->require_subcommand(1);
  auto* key_create = keys->add_subcommand("create", "create an API key (shown once)");
  key_create->add_option("name", o.name)->required();
  key_create->callback([&o] {
    o.action = [&o] {
      return report(call(verb::post, "/v1/apikeys", json::serialize(json::object{{"name", o.name}})));
    };
  });
  keys->add_subcommand("list", "list your API keys")->callback([&o] {
    o.action = [] { return report(call(verb::get, "/v1/apikeys")); };
  });
}

int run_ctl() {
  if (!options().action) return 2;
  try {
    return options().action();
  } catch (const std::exception& e) {
    // A body we did not expect (a proxy's error page, an older server): say so, do not abort.
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace webgames::ctl
