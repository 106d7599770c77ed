#include "ctl/ctl.h"

#include "core/error.h"
#include "core/json_fields.h"
#include "ctl/game_file.h"
#include "ctl/http_client.h"
#include "ctl/output.h"

#include <fmt/format.h>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fcntl.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>
#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <thread>

namespace webgames::ctl {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using boost::beast::http::verb;

constexpr std::string_view kDefaultServer = "http://127.0.0.1:8080";

struct Options {
  std::string server;  // empty: the one logged in to, else kDefaultServer
  std::string output;  // json or table; empty: table on a terminal, else json
  std::string username;
  std::string password;
  std::string role = "player";
  std::string file;
  std::string name;
  std::string queue;
  // sessions list
  std::string game, state, player, since, until, cursor;
  unsigned limit = 0;
  bool follow = false;
  std::function<int()> action;
};

Options& options() {
  static Options o;
  return o;
}

}  // namespace

Format output_format() {
  const auto& chosen = options().output;
  if (chosen == "json") return Format::json;
  if (chosen == "table") return Format::table;
  return ::isatty(STDOUT_FILENO) ? Format::table : Format::json;
}

namespace {

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

// Prints an error the server answered (its code, message and field) or
// one of ours, on stderr. An error about a line of the body we sent (a game
// file, `file`) reads "FILE line N: FIELD: MESSAGE", for the user to go to.
// Returns 1, the exit status.
int print_error(const Result<HttpResult>& r, std::string_view file = {}) {
  if (!r) {
    std::cerr << "error: " << r.error().message;
    if (!r.error().field.empty()) std::cerr << " (field " << r.error().field << ")";
    std::cerr << "\n";
    return 1;
  }
  boost::system::error_code ec;
  auto body = r->body.empty() ? json::value() : json::parse(r->body, ec);
  const json::value* e = (!ec && body.is_object()) ? body.get_object().if_contains("error") : nullptr;
  if (e && e->is_object()) {
    auto& o = e->get_object();
    std::string_view message = o.at("message").as_string();
    const auto* field_value = o.if_contains("field");
    std::string_view field = field_value && field_value->is_string() ? std::string_view(field_value->get_string()) : "";
    // A message that starts with its field ("queues[0].teams: must be …") names it already.
    bool named = !field.empty() && message.starts_with(field) && message.substr(field.size()).starts_with(":");
    std::cerr << "error " << r->status << " " << json::serialize(o.at("code")) << ": ";
    if (const auto* line = o.if_contains("line"); line && line->is_int64()) {
      std::cerr << (file.empty() ? "" : fmt::format("{} ", file)) << "line " << line->get_int64() << ": ";
      if (!field.empty() && !named) std::cerr << field << ": ";
      std::cerr << message << "\n";
      return 1;
    }
    std::cerr << message;
    if (!field.empty() && !named) std::cerr << " (field " << field << ")";
    std::cerr << "\n";
  } else {
    std::cerr << "error " << r->status << ": " << r->body << "\n";
  }
  return 1;
}

// How a command shows a successful answer in a table (--output table).
using Render = std::function<std::string(const json::value& body)>;

Render as_fields() {
  return [](const json::value& body) { return body.is_object() ? render_fields(body.get_object()) : ""; };
}

// A list answer ({"items": [...]}) as a table of `columns`.
template <std::size_t N>
Render as_table(const std::array<Column, N>& columns) {
  return [&columns](const json::value& body) {
    const auto* items = body.is_object() ? body.get_object().if_contains("items") : nullptr;
    return items && items->is_array() ? render_table(items->get_array(), columns) : std::string();
  };
}

Render as_message(std::string message) {
  return [message = std::move(message)](const json::value&) { return message + "\n"; };
}

// Prints the server's answer: on success the JSON body exactly as sent
// (--output json) or `render`ed (table); an error on stderr (print_error,
// `file` the body's). The exit status.
int report(const Result<HttpResult>& r, const Render& render = as_fields(), std::string_view file = {}) {
  if (!r || r->status >= 400) return print_error(r, file);
  if (output_format() == Format::json) {
    if (!r->body.empty()) std::cout << r->body << "\n";
    return 0;
  }
  boost::system::error_code ec;
  auto body = r->body.empty() ? json::value() : json::parse(r->body, ec);
  if (ec) {
    std::cout << r->body << "\n";
    return 0;
  }
  std::cout << render(body);
  return 0;
}

std::string server_url() {
  if (!options().server.empty()) return options().server;
  auto saved = stored(load_credentials(), "server");
  return saved.empty() ? std::string(kDefaultServer) : saved;
}

Result<Endpoint> server_endpoint() { return parse_server_url(server_url()); }

// Sends a request with the stored credentials (a body as application/json
// unless `headers` name its Content-Type); on an expired access token,
// refreshes it once and retries.
Result<HttpResult> call(verb method, std::string_view target, std::string_view body = {}, const Headers& headers = {}) {
  auto server = server_endpoint();
  if (!server) return server.error();
  constexpr auto timeout = std::chrono::seconds(30);
  if (const char* token = std::getenv("WEBGAMES_TOKEN"))
    return http_request(*server, method, target, body, token, timeout, headers);
  auto creds = load_credentials();
  auto result = http_request(*server, method, target, body, stored(creds, "access_token"), timeout, headers);
  if (!result || result->status != 401 || stored(creds, "refresh_token").empty()) return result;
  auto refreshed = http_request(*server, verb::post, "/v1/auth/refresh",
                                json::serialize(json::object{{"refresh_token", stored(creds, "refresh_token")}}), "");
  if (!refreshed || refreshed->status != 200) return result;
  auto tokens = json::parse(refreshed->body).as_object();
  creds["access_token"] = tokens["access_token"];
  creds["refresh_token"] = tokens["refresh_token"];
  save_credentials(creds);
  return http_request(*server, method, target, body, stored(creds, "access_token"), timeout, headers);
}

}  // namespace

std::string read_password(const std::string& given) {
  if (!given.empty()) return given;
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

void print_json_or_fields(const boost::json::object& body) {
  if (output_format() == Format::json)
    std::cout << json::serialize(body) << "\n";
  else
    std::cout << render_fields(body);
}

namespace {

std::string password() { return read_password(options().password); }

// Logs in and keeps the tokens. Prints the account (the answer without its
// tokens: they go to the credentials file, not to a pipe or a terminal).
int start_session(std::string_view route, json::object body) {
  auto server = server_endpoint();
  if (!server) return print_error(server.error());
  auto result = http_request(*server, verb::post, route, json::serialize(body), "");
  if (!result || result->status >= 400) return print_error(result);
  auto tokens = json::parse(result->body).as_object();
  auto& account = tokens["account"].as_object();
  json::object creds{{"server", server_url()},
                     {"username", account["username"]},
                     {"access_token", tokens["access_token"]},
                     {"refresh_token", tokens["refresh_token"]}};
  save_credentials(creds);
  if (output_format() == Format::json) {
    std::cout << json::serialize(account) << "\n";
  } else {
    std::cout << "logged in as " << std::string_view(account["username"].as_string()) << " ("
              << std::string_view(account["role"].as_string()) << ") at " << server_url() << "\n";
  }
  return 0;
}

std::string encoded(std::string_view text) { return percent_encoded(text); }

constexpr std::array<Column, 4> kGameColumns{{{"NAME", "name"},
                                              {"TITLE", "title"},
                                              {"QUEUES", "queues", Column::names},
                                              {"UPDATED", "updated_at", Column::unix_time}}};
// An operator's list: every developer's games, with their owner.
constexpr std::array<Column, 5> kAllGameColumns{{{"NAME", "name"},
                                                 {"OWNER", "owner"},
                                                 {"TITLE", "title"},
                                                 {"QUEUES", "queues", Column::names},
                                                 {"UPDATED", "updated_at", Column::unix_time}}};
constexpr std::array<Column, 7> kSessionColumns{{{"ID", "id"},
                                                 {"GAME", "game"},
                                                 {"QUEUE", "queue"},
                                                 {"STATE", "state"},
                                                 {"PLAYERS", "players", Column::names},
                                                 {"MATCHED", "timings.matched_at"},
                                                 {"REASON", "reason"}}};
constexpr std::array<Column, 4> kKeyColumns{
    {{"ID", "id"}, {"NAME", "name"}, {"PREFIX", "prefix"}, {"CREATED", "created_at", Column::unix_time}}};

int list_games() {
  return report(call(verb::get, "/v1/games"), [](const json::value& body) {
    const auto* items = body.is_object() ? body.get_object().if_contains("items") : nullptr;
    if (!items || !items->is_array()) return std::string();
    const auto* owners = body.get_object().if_contains("owners");
    if (!owners || !owners->is_object()) return render_table(items->get_array(), kGameColumns);
    // An operator's list: each game with its owner's username.
    json::array rows = items->get_array();
    for (auto& row : rows) {
      if (!row.is_object()) continue;
      const auto* id = row.get_object().if_contains("owner_id");
      if (!id || !id->is_string()) continue;
      const auto* name = owners->get_object().if_contains(id->get_string());
      row.get_object()["owner"] = name ? *name : *id;
    }
    return render_table(rows, kAllGameColumns);
  });
}

// A game file sent as it is (game_file.h): the server's errors name its lines.
int send_game_file(verb method, const std::string& target, const GameFile& file) {
  return report(call(method, target, file.toml, {{"Content-Type", "application/toml"}}), as_fields(), options().file);
}

int create_game() {
  auto file = read_game_file(options().file);
  if (!file) return print_error(file.error());
  return send_game_file(verb::post, "/v1/games", *file);
}

// PUT /v1/games/{name} with the file's game: its name says which.
int update_game() {
  auto file = read_game_file(options().file);
  if (!file) return print_error(file.error());
  if (file->name.empty())
    return print_error(make_error(Errc::invalid_field, options().file + " names no game (name = \"…\")", "name"));
  return send_game_file(verb::put, "/v1/games/" + encoded(file->name), *file);
}

// "1700000000" as it is; "90s", "15m", "2h", "7d" as that long ago.
Result<std::string> unix_time_option(const std::string& text, std::string_view field) {
  auto bad = make_error(Errc::invalid_field,
                        fmt::format("--{} takes a Unix time in seconds or an age such as 30m, 2h or 7d", field),
                        std::string(field));
  if (text.empty()) return bad;
  std::int64_t n = 0;
  auto unit = text.back();
  auto digits =
      std::string_view(text).substr(0, std::isdigit(static_cast<unsigned char>(unit)) ? text.size() : text.size() - 1);
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size()) return bad;
  if (std::isdigit(static_cast<unsigned char>(unit))) return text;
  std::int64_t scale = unit == 's' ? 1 : unit == 'm' ? 60 : unit == 'h' ? 3600 : unit == 'd' ? 86400 : 0;
  if (scale == 0 || n > std::int64_t{1} << 32) return bad;
  auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  return std::to_string(now.count() - n * scale);
}

int list_sessions() {
  const auto& o = options();
  std::string query;
  auto add = [&](std::string_view name, const std::string& value) {
    if (value.empty()) return;
    query += query.empty() ? "?" : "&";
    query += fmt::format("{}={}", name, encoded(value));
  };
  add("game", o.game);
  add("state", o.state);
  add("player", o.player);
  for (auto [name, value] : {std::pair{"since", &o.since}, std::pair{"until", &o.until}}) {
    if (value->empty()) continue;
    auto at = unix_time_option(*value, name);
    if (!at) return print_error(at.error());
    add(name, *at);
  }
  if (o.limit) add("limit", std::to_string(o.limit));
  add("cursor", o.cursor);
  return report(call(verb::get, "/v1/sessions" + query), [](const json::value& body) {
    auto out = as_table(kSessionColumns)(body);
    const auto* next = body.is_object() ? body.get_object().if_contains("next_cursor") : nullptr;
    if (next && next->is_string()) out += fmt::format("more: --cursor {}\n", std::string_view(next->get_string()));
    return out;
  });
}

volatile std::sig_atomic_t g_interrupted = 0;

void on_interrupt(int) { g_interrupted = 1; }

// Prints the session's server log; with --follow, goes on printing what is
// written until the session has ended and its log is read to the end (exit
// 0), or until Ctrl-C or SIGTERM (exit 130, as `webgames play` does).
int session_logs() {
  const auto id = encoded(options().name);
  auto read_from = [&](std::optional<std::uint64_t> offset) {
    return call(verb::get, "/v1/sessions/" + id + "/log" + (offset ? "?offset=" + std::to_string(*offset) : ""));
  };
  if (options().follow) {
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;  // a second Ctrl-C ends the process as usual
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
  }
  auto first = read_from(std::nullopt);
  if (!first || first->status >= 400) return print_error(first);
  std::cout << first->body << std::flush;
  if (!options().follow) return 0;

  std::uint64_t next = std::strtoull(first->header("X-Log-Offset").c_str(), nullptr, 10) + first->body.size();
  // Once the session has ended its server may still write its last lines:
  // read on for this long after the end was seen.
  constexpr auto kLastWords = std::chrono::seconds(1);
  std::optional<std::chrono::steady_clock::time_point> ended_at;
  while (!g_interrupted) {
    auto more = read_from(next);
    if (!more || more->status >= 400) return print_error(more);
    std::cout << more->body << std::flush;
    next += more->body.size();
    if (!more->body.empty()) continue;  // read on while it writes
    if (ended_at && std::chrono::steady_clock::now() - *ended_at >= kLastWords) return 0;
    if (!ended_at) {
      auto session = call(verb::get, "/v1/sessions/" + id);
      if (!session || session->status >= 400) return print_error(session);
      auto state = json::parse(session->body).as_object()["state"];
      if (state == "ended" || state == "failed") ended_at = std::chrono::steady_clock::now();
    }
    for (int i = 0; i < 3 && !g_interrupted; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return 130;
}

}  // namespace

void add_ctl_commands(CLI::App& ctl) {
  auto& o = options();
  ctl.add_option("--server", o.server, "Webgames API URL (Default: the one logged in to, else http://127.0.0.1:8080)")
      ->envname("WEBGAMES_SERVER");
  ctl.add_option("--output,-o", o.output, "json (the API's answer as it is) or table (Default: table on a terminal)")
      ->check(CLI::IsMember({"json", "table"}))
      ->envname("WEBGAMES_OUTPUT");
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
      int rc = report(call(verb::post, "/v1/auth/logout"), as_message("logged out"));
      std::error_code ec;
      fs::remove(credentials_path(), ec);
      return rc;
    };
  });

  ctl.add_subcommand("whoami", "show the logged-in account")->callback([&o] {
    o.action = [] { return report(call(verb::get, "/v1/account")); };
  });

  auto* games = ctl.add_subcommand("games", "manage your games (an operator: read everyone's)");
  games->require_subcommand(1);
  auto* create = games->add_subcommand("create", "register a game from a TOML file");
  create->add_option("file", o.file, "game file (docs/game-spec.md)")->required()->check(CLI::ExistingFile);
  create->callback([&o] { o.action = create_game; });
  auto* update = games->add_subcommand("update", "replace a game with a TOML file (the game its name says)");
  update->add_option("file", o.file, "game file (docs/game-spec.md)")->required()->check(CLI::ExistingFile);
  update->callback([&o] { o.action = update_game; });
  games->add_subcommand("list", "list your games (an operator: every game, with its owner)")->callback([&o] {
    o.action = list_games;
  });
  auto* show = games->add_subcommand("show", "show one game");
  show->add_option("name", o.name)->required();
  show->callback([&o] { o.action = [&o] { return report(call(verb::get, "/v1/games/" + encoded(o.name))); }; });
  auto* remove = games->add_subcommand("delete", "delete one game");
  remove->add_option("name", o.name)->required();
  remove->callback([&o] {
    o.action = [&o] {
      return report(call(verb::delete_, "/v1/games/" + encoded(o.name)), as_message("deleted game " + o.name));
    };
  });

  auto* sessions = ctl.add_subcommand("sessions", "your games' sessions (an operator: every session)");
  sessions->require_subcommand(1);
  auto* list = sessions->add_subcommand("list", "list sessions, newest first");
  list->add_option("--game", o.game, "only this game's (its name)");
  list->add_option("--state", o.state, "allocating, starting, idle, ready, running, ended or failed");
  list->add_option("--player", o.player, "only those this player (account id or username) played in");
  list->add_option("--since", o.since, "matched since: a Unix time in seconds, or an age (30m, 2h, 7d)");
  list->add_option("--until", o.until, "matched before: a Unix time in seconds, or an age");
  list->add_option("--limit", o.limit, "at most this many (1 to 500; Default: 50)");
  list->add_option("--cursor", o.cursor, "the page after the one that printed this cursor");
  list->callback([&o] { o.action = list_sessions; });
  auto* session_show = sessions->add_subcommand("show", "show one session: state, players, timings, results");
  session_show->add_option("id", o.name)->required();
  session_show->callback(
      [&o] { o.action = [&o] { return report(call(verb::get, "/v1/sessions/" + encoded(o.name))); }; });
  auto* logs = sessions->add_subcommand("logs", "print a session's server log (text, whatever --output says)");
  logs->add_option("id", o.name)->required();
  logs->add_flag("--follow,-f", o.follow, "go on printing until the session ends (Ctrl-C stops)");
  logs->callback([&o] { o.action = session_logs; });

  auto* queues = ctl.add_subcommand("queues", "your games' queues");
  queues->require_subcommand(1);
  auto* stats = queues->add_subcommand("stats", "a queue's matchmaking statistics");
  stats->add_option("game", o.name)->required();
  stats->add_option("queue", o.queue)->required();
  stats->callback([&o] {
    o.action = [&o] {
      return report(call(verb::get, fmt::format("/v1/games/{}/queues/{}/stats", encoded(o.name), encoded(o.queue))));
    };
  });

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
    o.action = [] { return report(call(verb::get, "/v1/apikeys"), as_table(kKeyColumns)); };
  });
  auto* key_delete = keys->add_subcommand("delete", "revoke one of your API keys (its id, key_…)");
  key_delete->add_option("id", o.name)->required();
  key_delete->callback([&o] {
    o.action = [&o] {
      return report(call(verb::delete_, "/v1/apikeys/" + encoded(o.name)), as_message("deleted key " + o.name));
    };
  });
}

void accept_options_after_commands(CLI::App& ctl) {
  for (auto* sub : ctl.get_subcommands([](CLI::App*) { return true; })) {
    sub->fallthrough();
    accept_options_after_commands(*sub);
  }
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
