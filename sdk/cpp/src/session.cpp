#include "webgames/sdk.h"

#include "http_post.h"
#include "join_token.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

extern char** environ;

namespace webgames::sdk {
namespace {

namespace json = boost::json;
using Variables = std::map<std::string, std::string, std::less<>>;

// Limits of POST .../end, as Webgames enforces them; checked here first so
// that a game learns of a mistake without a round trip.
constexpr std::size_t kMaxEndBodyBytes = 64 * 1024;
constexpr std::size_t kMaxResultDataBytes = 16 * 1024;

[[noreturn]] void bad_variable(std::string_view name, std::string_view why) {
  throw std::runtime_error("webgames sdk: " + std::string(name) + " " + std::string(why));
}

const std::string& required(const Variables& vars, std::string_view name) {
  auto it = vars.find(name);
  if (it == vars.end() || it->second.empty()) bad_variable(name, "is not set");
  return it->second;
}

std::uint16_t parse_port(std::string_view name, std::string_view text) {
  bool digits = !text.empty() && text.size() <= 5 && text.find_first_not_of("0123456789") == std::string_view::npos;
  unsigned long value = digits ? std::stoul(std::string(text)) : 0;
  if (value < 1 || value > 65535) bad_variable(name, "is not a port number (1 to 65535)");
  return static_cast<std::uint16_t>(value);
}

struct Roster {
  std::vector<Player> players;
  int team_count = 0;
};

// WEBGAMES_PLAYERS, or an allocation's answer: {"teams":[["acc_a"],...],
// "players":[{"id","name","team"},...]}. Throws std::runtime_error naming `kName`.
Roster parse_players(const std::string& text, std::string_view kName = "WEBGAMES_PLAYERS") {
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  auto* teams = !ec && value.is_object() ? value.get_object().if_contains("teams") : nullptr;
  auto* players = !ec && value.is_object() ? value.get_object().if_contains("players") : nullptr;
  if (teams == nullptr || !teams->is_array() || players == nullptr || !players->is_array())
    bad_variable(kName, "is not an object with arrays \"teams\" and \"players\"");
  Roster out;
  out.team_count = static_cast<int>(teams->get_array().size());
  for (const auto& entry : players->get_array()) {
    auto* o = entry.if_object();
    auto* id = o ? o->if_contains("id") : nullptr;
    auto* name = o ? o->if_contains("name") : nullptr;
    auto* team = o ? o->if_contains("team") : nullptr;
    if (id == nullptr || !id->is_string() || id->get_string().empty() || name == nullptr || !name->is_string() ||
        team == nullptr || !team->is_int64() || team->get_int64() < 0 || team->get_int64() >= out.team_count)
      bad_variable(kName, "has a player without a string id and name and a team index");
    out.players.push_back(
        Player{std::string(id->get_string()), std::string(name->get_string()), static_cast<int>(team->get_int64())});
  }
  return out;
}

// Player and session ids are [a-z0-9_] in practice; anything else is escaped
// ('.' too, against "..") so that an id can never change the path.
std::string path_segment(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

Error error_from_reply(const detail::HttpReply& reply) {
  if (reply.status == 0) return Error{"unavailable", "Webgames did not answer: " + reply.body, 0};
  boost::system::error_code ec;
  auto value = json::parse(reply.body, ec);
  if (!ec && value.is_object()) {
    if (auto* e = value.get_object().if_contains("error"); e != nullptr && e->is_object()) {
      auto* code = e->get_object().if_contains("code");
      auto* message = e->get_object().if_contains("message");
      if (code != nullptr && code->is_string())
        return Error{std::string(code->get_string()),
                     message != nullptr && message->is_string() ? std::string(message->get_string()) : "",
                     reply.status};
    }
  }
  return Error{"http_error", "Webgames answered " + std::to_string(reply.status), reply.status};
}

Expected<std::string> results_body(const std::vector<Result>& results) {
  json::array entries;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    auto where = "results[" + std::to_string(i) + "]";
    if (r.player_id.empty() && !r.team) return Error{"invalid_field", where + ": needs a player_id or a team", 0};
    if (r.rank < 1) return Error{"invalid_field", where + ".rank: must be at least 1", 0};
    if (!std::isfinite(r.score)) return Error{"invalid_field", where + ".score: must be a finite number", 0};
    json::object entry;
    if (!r.player_id.empty()) entry["player_id"] = r.player_id;
    if (r.team) entry["team"] = *r.team;
    // Whole scores go out as integers ("2", not "2E0"), which reads better
    // in Webgames' history and compares exactly.
    if (std::trunc(r.score) == r.score && std::abs(r.score) < 9e15) {
      entry["score"] = static_cast<std::int64_t>(r.score);
    } else {
      entry["score"] = r.score;
    }
    entry["rank"] = r.rank;
    if (!r.data.empty()) {
      if (json::serialize(r.data).size() > kMaxResultDataBytes)
        return Error{"invalid_field", where + ".data: larger than 16 KiB", 0};
      entry["data"] = r.data;
    }
    entries.push_back(std::move(entry));
  }
  auto body = json::serialize(json::object{{"results", std::move(entries)}});
  if (body.size() > kMaxEndBodyBytes) return Error{"invalid_field", "results: larger than 64 KiB", 0};
  return body;
}

}  // namespace

void throw_exception_from_error(const Error& e, const boost::source_location&) { throw Exception(e); }

struct Session::Impl {
  Options options;
  std::string id;
  std::string host;
  std::string secret;
  detail::HttpUrl sdk_url;
  std::uint16_t port = 0;
  std::map<std::string, std::uint16_t, std::less<>> named_ports;
  std::vector<Player> players;
  int team_count = 0;
  bool pooled = false;
  bool allocated = true;  // a pool server: once wait_for_allocation() returned
  std::string queue;
  std::string region;
  std::optional<detail::JoinKey> join_key;

  std::mutex heartbeat_mutex;  // guards starting and stopping `heartbeat`
  std::jthread heartbeat;      // last member: stopped before the rest is destroyed

  ~Impl() { stop_heartbeats(); }

  void log(std::string_view line) const {
    if (options.log) {
      options.log(line);
    } else {
      std::fprintf(stderr, "webgames-sdk: %.*s\n", static_cast<int>(line.size()), line.data());
    }
  }

  std::string session_path(std::string_view what) const {
    return "/v1/sdk/sessions/" + path_segment(id) + "/" + std::string(what);
  }

  // One call, tried up to `attempts` times while no answer comes or
  // Webgames answers 5xx; a 4xx is final.
  Expected<void> call(const std::string& path, std::string body, int attempts, std::stop_token stop = {}) const {
    auto delay = options.retry_delay;
    for (int attempt = 1;; ++attempt) {
      auto reply = detail::post_json(sdk_url, path, secret, body, options.request_timeout, stop);
      if (reply.status >= 200 && reply.status < 300) return {};
      bool retryable = reply.status == 0 || reply.status >= 500;
      if (!retryable || attempt >= attempts || stop.stop_requested()) return error_from_reply(reply);
      std::this_thread::sleep_for(delay);
      delay = std::min(delay * 2, options.max_retry_delay);
    }
  }

  void heartbeat_loop(std::stop_token stop) {
    std::mutex m;  // only for the interruptible sleep
    std::condition_variable_any wake;
    auto next = std::chrono::steady_clock::now() + options.heartbeat_interval;
    for (;;) {
      {
        std::unique_lock lock(m);
        if (wake.wait_until(lock, stop, next, [] { return false; }) || stop.stop_requested()) return;
      }
      if (auto r = call(session_path("heartbeat"), "{}", 1, stop); !r && !stop.stop_requested())
        log("heartbeat failed: " + r.error().code + ": " + r.error().message);
      // Keep the cadence; after a slow call, do not send a burst to catch up.
      next = std::max(next + options.heartbeat_interval, std::chrono::steady_clock::now());
    }
  }

  void stop_heartbeats() {
    std::lock_guard lock(heartbeat_mutex);
    if (heartbeat.joinable()) {
      heartbeat.request_stop();
      heartbeat.join();
    }
  }
};

Session::Session(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::~Session() = default;

Session Session::from_environment(Options options) {
  Variables vars;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view entry(*e);
    if (!entry.starts_with("WEBGAMES_")) continue;
    auto eq = entry.find('=');
    if (eq != std::string_view::npos) vars.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return from_variables(vars, std::move(options));
}

Session Session::from_variables(const Variables& vars, Options options) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->id = required(vars, "WEBGAMES_SESSION_ID");
  impl->port = parse_port("WEBGAMES_PORT", required(vars, "WEBGAMES_PORT"));
  constexpr std::string_view kPortPrefix = "WEBGAMES_PORT_";
  for (const auto& [name, value] : vars)
    if (name.starts_with(kPortPrefix) && name.size() > kPortPrefix.size())
      impl->named_ports.emplace(name.substr(kPortPrefix.size()), parse_port(name, value));
  // Webgames tells the interval it expects; it wins over the compiled default.
  if (auto interval = vars.find("WEBGAMES_HEARTBEAT_INTERVAL_MS"); interval != vars.end()) {
    int ms = 0;
    auto [ptr, ec] = std::from_chars(interval->second.data(), interval->second.data() + interval->second.size(), ms);
    if (ec != std::errc() || ptr != interval->second.data() + interval->second.size() || ms < 10 || ms > 600'000)
      bad_variable("WEBGAMES_HEARTBEAT_INTERVAL_MS", "is not a number of milliseconds from 10 to 600000");
    impl->options.heartbeat_interval = std::chrono::milliseconds(ms);
  }
  auto host = vars.find("WEBGAMES_HOST");
  impl->host = host != vars.end() && !host->second.empty() ? host->second : "0.0.0.0";

  auto url = detail::parse_http_url(required(vars, "WEBGAMES_SDK_URL"));
  if (!url) bad_variable("WEBGAMES_SDK_URL", "is not an http://host[:port] URL");
  impl->sdk_url = std::move(*url);
  impl->secret = required(vars, "WEBGAMES_SDK_SECRET");
  impl->join_key = detail::JoinKey::from_base64url(required(vars, "WEBGAMES_JOIN_KEY"));
  if (!impl->join_key) bad_variable("WEBGAMES_JOIN_KEY", "is not an Ed25519 public key (32 bytes, base64url)");
  auto pooled = vars.find("WEBGAMES_POOLED");
  impl->pooled = pooled != vars.end() && pooled->second == "1";
  impl->allocated = !impl->pooled;
  if (auto queue = vars.find("WEBGAMES_QUEUE"); queue != vars.end()) impl->queue = queue->second;
  if (auto region = vars.find("WEBGAMES_REGION"); region != vars.end()) impl->region = region->second;
  // A pool server's players come with its allocation.
  auto players = vars.find("WEBGAMES_PLAYERS");
  if (!impl->pooled || (players != vars.end() && !players->second.empty())) {
    auto roster = parse_players(required(vars, "WEBGAMES_PLAYERS"));
    impl->players = std::move(roster.players);
    impl->team_count = roster.team_count;
  }
  return Session(std::move(impl));
}

const std::string& Session::id() const { return impl_->id; }
const std::string& Session::host() const { return impl_->host; }
std::uint16_t Session::port() const { return impl_->port; }

std::optional<std::uint16_t> Session::port(std::string_view name) const {
  std::string key(name);
  for (auto& c : key) c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto it = impl_->named_ports.find(key);
  if (it == impl_->named_ports.end()) return std::nullopt;
  return it->second;
}

bool Session::pooled() const { return impl_->pooled; }
const std::vector<Player>& Session::players() const { return impl_->players; }
int Session::team_count() const { return impl_->team_count; }

const Player* Session::find_player(std::string_view player_id) const {
  auto it =
      std::find_if(impl_->players.begin(), impl_->players.end(), [&](const Player& p) { return p.id == player_id; });
  return it == impl_->players.end() ? nullptr : &*it;
}

Expected<Player> Session::verify_join(std::string_view token) const {
  return verify_join(token, std::chrono::system_clock::now());
}

Expected<Player> Session::verify_join(std::string_view token, std::chrono::system_clock::time_point now) const {
  auto now_unix = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  auto claims = detail::verify_join_claims(token, *impl_->join_key, impl_->id, now_unix);
  if (!claims) return claims.error();
  if (const Player* player = find_player(claims->player)) return *player;
  // Not among the players at start: one Webgames added since (backfill),
  // whose token names its team.
  if (claims->team && *claims->team < team_count())
    return Player{claims->player, claims->name.empty() ? claims->player : claims->name, *claims->team};
  return Error{std::string(join_refusal::not_a_player), "not a player of this session", 0};
}

Expected<void> Session::backfill(int team, int players) {
  if (team < 0 || team >= team_count() || players < 1 || players > 1000)
    return Error{"invalid_field", "team must be one of the session's, players 1 to 1000", 0};
  return impl_->call(impl_->session_path("backfill"),
                     "{\"team\":" + std::to_string(team) + ",\"players\":" + std::to_string(players) + "}",
                     impl_->options.attempts);
}

Expected<void> Session::ready() {
  auto r = impl_->call(impl_->session_path("ready"), "{}", impl_->options.attempts);
  if (!r) return r;
  std::lock_guard lock(impl_->heartbeat_mutex);
  if (!impl_->heartbeat.joinable())
    impl_->heartbeat = std::jthread([impl = impl_.get()](std::stop_token stop) { impl->heartbeat_loop(stop); });
  return {};
}

Expected<Allocation> Session::wait_for_allocation(std::stop_token stop) {
  auto& impl = *impl_;
  if (!impl.allocated) {
    // Never 0: a poll that answers at once would spin.
    auto wait =
        std::clamp(impl.options.allocation_wait, std::chrono::milliseconds(100), std::chrono::milliseconds(30'000));
    auto path = impl.session_path("allocation") + "?wait=" + std::to_string(wait.count()) + "ms";
    auto delay = impl.options.retry_delay;
    for (;;) {
      if (stop.stop_requested()) return Error{"cancelled", "stopped while waiting for a match", 0};
      auto reply = detail::get(impl.sdk_url, path, impl.secret, wait + impl.options.request_timeout, stop);
      if (reply.status == 200) {
        try {
          auto roster = parse_players(reply.body, "the allocation");
          auto value = json::parse(reply.body);
          auto text = [&](std::string_view key) {
            auto* v = value.get_object().if_contains(key);
            return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
          };
          impl.players = std::move(roster.players);
          impl.team_count = roster.team_count;
          impl.queue = text("queue");
          impl.region = text("region");
          impl.allocated = true;
          break;
        } catch (const std::exception& e) {
          return Error{"http_error", e.what(), reply.status};
        }
      }
      if (reply.status == 204) {  // the poll's wait passed: ask again
        delay = impl.options.retry_delay;
        continue;
      }
      if (reply.status != 0 && reply.status < 500) return error_from_reply(reply);
      // Unreachable or 5xx (a takeover in the cluster): ask again after a pause.
      if (stop.stop_requested()) return Error{"cancelled", "stopped while waiting for a match", 0};
      impl.log("waiting for a match: " + error_from_reply(reply).message);
      std::this_thread::sleep_for(delay);
      delay = std::min(delay * 2, impl.options.max_retry_delay);
    }
  }
  return Allocation{impl.players, impl.team_count, impl.queue, impl.region};
}

Expected<void> Session::player_connected(std::string_view player_id) {
  return impl_->call(impl_->session_path("players/" + path_segment(player_id) + "/connected"), "{}", 1);
}

Expected<void> Session::player_disconnected(std::string_view player_id) {
  return impl_->call(impl_->session_path("players/" + path_segment(player_id) + "/disconnected"), "{}", 1);
}

Expected<void> Session::end(const std::vector<Result>& results) {
  auto body = results_body(results);
  if (!body) return body.error();
  impl_->stop_heartbeats();
  return impl_->call(impl_->session_path("end"), std::move(*body), impl_->options.attempts);
}

}  // namespace webgames::sdk
