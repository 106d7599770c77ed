#include "app/config.h"

#include "http/cors.h"
#include "http/forwarded.h"
#include "redis/client.h"

#include <fmt/format.h>
#include <toml++/toml.h>
#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

namespace webgames {
namespace {

// One setting: where it sits in the file, its flag and its variable.
struct Setting {
  std::string section;
  std::string key;
  std::string flag;
  std::string help;
  std::function<bool(const toml::node&)> from_toml;  // false: wrong type
  std::function<void(CLI::App&, const std::string& flag, const std::string& env, const std::string& help)> add_flag;
};

template <class T>
Setting setting(std::string section, std::string key, std::string flag, std::string help, T& var) {
  Setting s{std::move(section), std::move(key), std::move(flag), std::move(help), nullptr, nullptr};
  s.from_toml = [&var](const toml::node& node) {
    if constexpr (std::is_same_v<T, bool>) {
      auto v = node.value<bool>();
      if (!v || !node.is_boolean()) return false;
      var = *v;
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (!node.is_string()) return false;
      var = *node.value<std::string>();
    } else if constexpr (std::is_floating_point_v<T>) {
      if (!node.is_number()) return false;
      auto v = *node.value<double>();
      if (!(v >= 0)) return false;
      var = v;
    } else {
      if (!node.is_integer()) return false;
      auto v = *node.value<std::int64_t>();
      if (v < 0 || static_cast<std::uint64_t>(v) > std::numeric_limits<T>::max()) return false;
      var = static_cast<T>(v);
    }
    return true;
  };
  s.add_flag = [&var](CLI::App& app, const std::string& flag, const std::string& env, const std::string& help) {
    app.add_option(flag, var, help)->envname(env)->capture_default_str();
  };
  return s;
}

std::vector<Setting> settings(Config& c) {
  return {
      setting("http", "address", "--address", "address to listen on", c.address),
      setting("http", "port", "--port", "port to listen on (0 picks a free one)", c.port),
      setting("http", "threads", "--threads", "event-loop threads (0: one per core)", c.threads),
      setting("http", "body_limit", "--body-limit", "largest request body, in bytes", c.body_limit),
      setting("http", "header_timeout_ms", "--header-timeout-ms", "time to read request headers", c.header_timeout_ms),
      setting("http", "body_timeout_ms", "--body-timeout-ms", "time to read a request body", c.body_timeout_ms),
      setting("http", "shutdown_grace_ms", "--shutdown-grace-ms", "time in-flight requests get at shutdown",
              c.shutdown_grace_ms),
      setting("http", "max_connections", "--max-connections", "most client connections at once", c.max_connections),
      setting("http", "max_connections_per_address", "--max-connections-per-address",
              "most connections from one client address at once (trusted proxies' uncounted); 0: no limit",
              c.max_connections_per_address),
      setting("http", "uncounted_addresses", "--uncounted-addresses",
              "addresses and networks max_connections_per_address does not count: \"127.0.0.0/8, ::1\"",
              c.uncounted_addresses),
      setting("http", "event_streams_per_player", "--event-streams-per-player",
              "most /v1/events streams of one player open at once", c.event_streams_per_player),
      setting("http", "access_log", "--access-log", "log one line per request", c.access_log),
      setting("http", "cors_origins", "--cors-origins",
              "origins whose pages may call the API: \"https://a.example, http://localhost:5173\" or \"*\"",
              c.cors_origins),
      setting("http", "trusted_proxies", "--trusted-proxies",
              "proxies whose X-Forwarded-For names the client: \"127.0.0.1, 10.0.0.0/8\"", c.trusted_proxies),
      setting("http", "static_dir", "--static-dir",
              "folder of the built pages served at /play and /console (empty: pages beside the webgames binary)",
              c.static_dir),
      setting("data", "dir", "--data-dir", "directory for the database and keys", c.data_dir),
      setting("data", "blocking_threads", "--blocking-threads", "threads for database and hashing work",
              c.blocking_threads),
      setting("data", "game_cache_ttl_ms", "--game-cache-ttl-ms", "how long a game read stays cached",
              c.game_cache_ttl_ms),
      setting("catalog", "url", "--catalog",
              "postgres://user@host:port/db for a shared PostgreSQL; empty: SQLite in the data directory",
              c.catalog_url),
      setting("live_state", "url", "--live-state",
              "redis://host:port[/db] to share live state through Redis; empty: embedded, in this process",
              c.live_state_url),
      setting("live_state", "prefix", "--live-state-prefix",
              "prefix of every Redis key (installations sharing one Redis each need their own)", c.live_state_prefix),
      setting("live_state", "lease_ttl_ms", "--lease-ttl-ms",
              "with --live-state: a replica that stops renewing the lobby's lease loses it after this", c.lease_ttl_ms),
      setting("live_state", "advertise", "--advertise",
              "with --live-state: host:port other replicas reach this one at (empty: the listen address)", c.advertise),
      setting("log", "level", "--log-level", "trace, debug, info, warn or error", c.log_level),
      setting("log", "format", "--log-format", "text or json", c.log_format),
      setting("hosting", "runtime", "--runtime", "process, docker, swarm or oci", c.runtime),
      setting("hosting", "installation", "--installation", "id on this installation's containers", c.installation),
      setting("hosting", "public_host", "--public-host", "address players are sent to", c.public_host),
      setting("hosting", "sdk_url", "--sdk-url",
              "URL game servers call webgames at (a load balancer's; empty: this process's address)", c.sdk_url),
      setting("hosting", "sessions_dir", "--sessions-dir",
              "servers' logs and work folders (empty: <data dir>/sessions; replicas share one)", c.sessions_dir),
      setting("hosting", "port_first", "--port-first", "first port for game servers", c.port_first),
      setting("hosting", "port_last", "--port-last", "last port for game servers", c.port_last),
      setting("hosting", "ready_timeout_ms", "--ready-timeout-ms", "time a server has to say ready",
              c.ready_timeout_ms),
      setting("hosting", "heartbeat_interval_ms", "--heartbeat-interval-ms", "servers' heartbeat period",
              c.heartbeat_interval_ms),
      setting("hosting", "missed_heartbeats", "--missed-heartbeats", "missed heartbeats that fail a session",
              c.missed_heartbeats),
      setting("hosting", "stop_grace_ms", "--stop-grace-ms", "SIGTERM to SIGKILL", c.stop_grace_ms),
      setting("hosting", "log_limit_mb", "--log-limit-mb",
              "MiB of a session's server log kept (process and OCI runtimes: of any file a server writes)",
              c.log_limit_mb),
      setting("hosting", "allocate_timeout_ms", "--allocate-timeout-ms",
              "a session waiting for a free port fails after this", c.allocate_timeout_ms),
      setting("hosting", "ticket_ttl_s", "--ticket-ttl-s", "queued tickets expire after this", c.ticket_ttl_s),
      setting("hosting", "party_idle_s", "--party-idle-s",
              "a party without a ticket or a change is disbanded after this (0: never)", c.party_idle_s),
      setting("hosting", "start_below_max_after_ms", "--start-below-max-after-ms",
              "an incomplete match may start after this", c.start_below_max_after_ms),
      setting("quotas", "servers", "--quota-servers", "game servers one developer may run at once", c.quotas.servers),
      setting("quotas", "tickets", "--quota-tickets", "tickets that may wait in one developer's queues",
              c.quotas.tickets),
      setting("quotas", "cpu", "--quota-cpu", "cores one developer's running servers may reserve", c.quotas.cpu),
      setting("quotas", "memory_mb", "--quota-memory-mb", "MiB one developer's running servers may reserve",
              c.quotas.memory_mb),
      setting("quotas", "games", "--quota-games", "games one developer may have registered at once", c.quotas.games),
      setting("docker", "socket", "--docker-socket", "dockerd's unix socket", c.docker_socket),
      setting("docker", "sdk_host", "--docker-sdk-host", "address bridge containers reach webgames at",
              c.docker_sdk_host),
      setting("oci", "state_dir", "--oci-state-dir", "runc's state and the unpacked images (empty: <data dir>/oci)",
              c.oci_state_dir),
      setting("oci", "images_dir", "--oci-images-dir",
              "OCI image layouts, one per image name (empty: images/oci beside the webgames binary)", c.oci_images_dir),
      setting("oci", "runc", "--oci-runc", "the runc binary", c.oci_runc),
      setting("console", "sample_interval_s", "--console-sample-s",
              "seconds between two samples of the console's overview (its charts' resolution)", c.console_sample_s),
      setting("limits", "window_s", "--limits-window-s", "the window of every rate limit, seconds", c.limits.window_s),
      setting("limits", "register_per_address", "--limit-register-per-address",
              "registrations per window from one address (0: no limit)", c.limits.register_per_address),
      setting("limits", "register_per_username", "--limit-register-per-username",
              "registrations per window of one username (0: no limit)", c.limits.register_per_username),
      setting("limits", "login_per_address", "--limit-login-per-address",
              "logins per window from one address (0: no limit)", c.limits.login_per_address),
      setting("limits", "login_per_username_address", "--limit-login-per-username-address",
              "logins per window to one account from one address (0: no limit)", c.limits.login_per_username_address),
      setting("limits", "login_per_username", "--limit-login-per-username",
              "logins per window to one account from all addresses (0: no limit)", c.limits.login_per_username),
      setting("limits", "guest_per_address", "--limit-guest-per-address",
              "guest logins per window from one address (0: no limit)", c.limits.guest_per_address),
      setting("limits", "guest_per_device", "--limit-guest-per-device",
              "guest logins per window of one device id (0: no limit)", c.limits.guest_per_device),
      setting("limits", "tickets_per_player", "--limit-tickets-per-player",
              "tickets created per window by one player (0: no limit)", c.limits.tickets_per_player),
      setting("limits", "party_joins_per_address", "--limit-party-joins-per-address",
              "party joins per window from one address (0: no limit)", c.limits.party_joins_per_address),
      setting("limits", "party_joins_per_player", "--limit-party-joins-per-player",
              "party joins per window by one player (0: no limit)", c.limits.party_joins_per_player),
      setting("limits", "party_creates_per_address", "--limit-party-creates-per-address",
              "parties created per window from one address (0: no limit)", c.limits.party_creates_per_address),
      setting("limits", "party_creates_per_player", "--limit-party-creates-per-player",
              "parties created per window by one player (0: no limit)", c.limits.party_creates_per_player),
      setting("auth", "access_ttl_s", "--access-ttl-s", "access token lifetime, seconds", c.access_ttl_s),
      setting("auth", "refresh_ttl_s", "--refresh-ttl-s", "refresh token lifetime, seconds", c.refresh_ttl_s),
      setting("auth", "keys_dir", "--keys-dir", "directory of the token signing keys (empty: <data dir>/keys)",
              c.keys_dir),
      setting("auth", "password_cost", "--password-cost", "Argon2id cost: interactive, moderate or minimum",
              c.password_cost),
      setting("auth", "developer_signup", "--developer-signup", "anyone may register as a developer",
              c.developer_signup),
      setting("auth", "operators", "--operators", "usernames promoted to operator at start, comma-separated",
              c.operators),
  };
}

std::string env_name(const Setting& s) {
  auto name = fmt::format("WEBGAMES_{}_{}", s.section, s.key);
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) { return std::toupper(ch); });
  return name;
}

}  // namespace

void add_config_flags(CLI::App& app, Config& config) {
  for (auto& s : settings(config)) s.add_flag(app, s.flag, env_name(s), s.help);
}

Result<void> load_config_file(const std::filesystem::path& file, Config& config) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return make_error(Errc::invalid_request, fmt::format("{}: cannot be read", file.string()), "config");
  std::stringstream text;
  text << in.rdbuf();
  return load_config_text(text.str(), file.string(), config);
}

Result<void> load_config_text(std::string_view text, const std::string& source, Config& config) {
  toml::table doc;
  try {
    doc = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return make_error(
        Errc::invalid_request,
        fmt::format("{}:{}:{}: {}", source, e.source().begin.line, e.source().begin.column, e.description()), "config");
  }
  auto all = settings(config);
  // [quotas.developers."<id>"] tables: read after [quotas], whose values
  // they start from, whatever their order in the file.
  const toml::table* developers = nullptr;
  for (const auto& [section, node] : doc) {
    auto* table = node.as_table();
    if (table == nullptr)
      return make_error(Errc::invalid_field, fmt::format("{}: {} is not a section", source, section.str()),
                        std::string(section.str()));
    for (const auto& [key, value] : *table) {
      auto path = fmt::format("{}.{}", section.str(), key.str());
      // Named copies: a lambda may not capture structured bindings before clang 16.
      std::string_view section_name = section.str(), key_name = key.str();
      if (section_name == "quotas" && key_name == "developers" && value.is_table()) {
        developers = value.as_table();
        continue;
      }
      auto it = std::find_if(all.begin(), all.end(),
                             [&](const Setting& s) { return s.section == section_name && s.key == key_name; });
      if (it == all.end())
        return make_error(Errc::invalid_field, fmt::format("{}: unknown setting {}", source, path), path);
      if (!it->from_toml(value))
        return make_error(Errc::invalid_field, fmt::format("{}: {} has the wrong type or range", source, path), path);
    }
  }
  if (developers == nullptr) return {};
  for (const auto& [id, node] : *developers) {
    auto base = fmt::format("quotas.developers.{}", std::string_view(id.str()).substr(0, 64));
    auto* entries = node.as_table();
    if (entries == nullptr || id.str().empty() || id.str().size() > 64)
      return make_error(Errc::invalid_field, fmt::format("{}: {} must be a table named by an account id", source, base),
                        base);
    Config one;  // the developer's limits start from [quotas]
    one.quotas = config.quotas;
    auto keys = settings(one);
    for (const auto& [key, value] : *entries) {
      auto path = fmt::format("{}.{}", base, key.str());
      auto it = std::find_if(keys.begin(), keys.end(), [&, key_name = std::string_view(key.str())](const Setting& s) {
        return s.section == "quotas" && s.key == key_name;
      });
      if (it == keys.end())
        return make_error(Errc::invalid_field, fmt::format("{}: unknown setting {}", source, path), path);
      if (!it->from_toml(value))
        return make_error(Errc::invalid_field, fmt::format("{}: {} has the wrong type or range", source, path), path);
    }
    config.developer_quotas[std::string(id.str())] = one.quotas;
  }
  return {};
}

Result<void> validate_config(const Config& c) {
  auto bad = [](std::string field, std::string why) {
    return make_error(Errc::invalid_field, fmt::format("{} {}", field, why), field);
  };
  if (c.log_format != "text" && c.log_format != "json") return bad("log.format", "must be text or json");
  static const std::vector<std::string> levels = {"trace", "debug", "info", "warn", "error"};
  if (std::find(levels.begin(), levels.end(), c.log_level) == levels.end())
    return bad("log.level", "must be trace, debug, info, warn or error");
  if (c.password_cost != "interactive" && c.password_cost != "moderate" && c.password_cost != "minimum")
    return bad("auth.password_cost", "must be interactive, moderate or minimum");
  if (c.access_ttl_s < 10 || c.access_ttl_s > 86400) return bad("auth.access_ttl_s", "must be 10 to 86400");
  if (c.refresh_ttl_s < 60) return bad("auth.refresh_ttl_s", "must be at least 60");
  if (c.body_limit < 1024) return bad("http.body_limit", "must be at least 1024");
  if (c.header_timeout_ms < 100) return bad("http.header_timeout_ms", "must be at least 100");
  if (c.body_timeout_ms < 100) return bad("http.body_timeout_ms", "must be at least 100");
  if (c.shutdown_grace_ms < 0) return bad("http.shutdown_grace_ms", "must not be negative");
  if (c.max_connections < 1) return bad("http.max_connections", "must be at least 1");
  if (c.event_streams_per_player < 1) return bad("http.event_streams_per_player", "must be at least 1");
  if (c.game_cache_ttl_ms < 0) return bad("data.game_cache_ttl_ms", "must not be negative");
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(c.address, ec);
  if (ec) return bad("http.address", "must be an IP address such as 127.0.0.1, 0.0.0.0 or ::1");
  // The process runtime runs a game's command on this host, as this user:
  // with sign-up open to anyone who reaches the address, anyone could.
  if (c.runtime == "process" && c.developer_signup && !address.is_loopback())
    return bad("auth.developer_signup",
               fmt::format("must be false when hosting.runtime is process and http.address ({}) is not a loopback "
                           "address: anyone who registers as a developer could run any command on this host. "
                           "Register your developers, then restart with --developer-signup=false; or host the "
                           "games in containers (--runtime docker, swarm or oci)",
                           c.address));
  if (c.blocking_threads < 1 || c.blocking_threads > 256) return bad("data.blocking_threads", "must be 1 to 256");
  if (c.threads > 256) return bad("http.threads", "must be 0 to 256");
  if (c.data_dir.empty()) return bad("data.dir", "must not be empty");
  if (!c.catalog_url.empty() && !c.catalog_url.starts_with("postgres://") &&
      !c.catalog_url.starts_with("postgresql://"))
    return bad("catalog.url", "must be empty (SQLite) or a postgres:// or postgresql:// URL");
  if (auto r = http::parse_cors_origins(c.cors_origins); !r) return r.error();
  if (auto r = http::TrustedProxies::parse(c.trusted_proxies); !r) return r.error();
  if (auto r = http::TrustedProxies::parse(c.uncounted_addresses, "http.uncounted_addresses"); !r) return r.error();
  if (c.limits.window_s < 1 || c.limits.window_s > 86400) return bad("limits.window_s", "must be 1 to 86400");
  if (!c.live_state_url.empty())
    if (auto r = redis::parse_url(c.live_state_url, "live_state.url"); !r) return r.error();
  if (c.live_state_prefix.empty() || c.live_state_prefix.size() > 64 ||
      !std::all_of(c.live_state_prefix.begin(), c.live_state_prefix.end(),
                   [](unsigned char ch) { return std::isalnum(ch) || ch == '-' || ch == '_' || ch == ':'; }))
    return bad("live_state.prefix", "must be 1 to 64 of a-z, A-Z, 0-9, '-', '_' and ':'");
  if (c.lease_ttl_ms < 300 || c.lease_ttl_ms > 60'000) return bad("live_state.lease_ttl_ms", "must be 300 to 60000");
  if (!c.advertise.empty()) {
    auto colon = c.advertise.rfind(':');
    const char* end = c.advertise.data() + c.advertise.size();
    int port = 0;
    auto parsed = colon == std::string::npos ? std::from_chars_result{end, std::errc::invalid_argument}
                                             : std::from_chars(c.advertise.data() + colon + 1, end, port);
    if (colon == 0 || c.advertise.size() > 255 || parsed.ec != std::errc() || parsed.ptr != end || port < 1 ||
        port > 65535)
      return bad("live_state.advertise", "must be host:port");
  }
  if (!c.sdk_url.empty() && !c.sdk_url.starts_with("http://") && !c.sdk_url.starts_with("https://"))
    return bad("hosting.sdk_url", "must be empty or an http:// or https:// URL");
  if (c.runtime != "process" && c.runtime != "docker" && c.runtime != "swarm" && c.runtime != "oci")
    return bad("hosting.runtime", "must be process, docker, swarm or oci");
  if (c.installation.size() > 64 || !std::all_of(c.installation.begin(), c.installation.end(), [](unsigned char ch) {
        return std::isalnum(ch) || ch == '-' || ch == '_';
      }))
    return bad("hosting.installation", "must be at most 64 of a-z, A-Z, 0-9, '-' and '_'");
  if (c.docker_socket.empty() || c.docker_socket.size() > 107)
    return bad("docker.socket", "must be a unix socket path of 1 to 107 bytes");
  if (c.port_first < 1024) return bad("hosting.port_first", "must be at least 1024");
  if (c.port_last < c.port_first) return bad("hosting.port_last", "must be at least hosting.port_first");
  if (c.ready_timeout_ms < 100) return bad("hosting.ready_timeout_ms", "must be at least 100");
  if (c.heartbeat_interval_ms < 100) return bad("hosting.heartbeat_interval_ms", "must be at least 100");
  if (c.missed_heartbeats < 1) return bad("hosting.missed_heartbeats", "must be at least 1");
  if (c.stop_grace_ms < 0) return bad("hosting.stop_grace_ms", "must not be negative");
  if (c.log_limit_mb < 1 || c.log_limit_mb > 1'048'576)
    return bad("hosting.log_limit_mb", "must be between 1 and 1048576");
  if (c.allocate_timeout_ms < 100) return bad("hosting.allocate_timeout_ms", "must be at least 100");
  if (c.ticket_ttl_s < 1) return bad("hosting.ticket_ttl_s", "must be at least 1");
  if (c.party_idle_s < 0) return bad("hosting.party_idle_s", "must not be negative");
  if (c.console_sample_s < 1 || c.console_sample_s > 60)
    return bad("console.sample_interval_s", "must be from 1 to 60");
  if (c.start_below_max_after_ms < 0) return bad("hosting.start_below_max_after_ms", "must not be negative");
  std::vector<std::pair<std::string, const QuotaLimits*>> quotas{{"quotas", &c.quotas}};
  for (const auto& [id, q] : c.developer_quotas) quotas.emplace_back("quotas.developers." + id, &q);
  for (const auto& [path, q] : quotas) {
    if (q->servers < 1) return bad(path + ".servers", "must be at least 1");
    if (q->tickets < 1) return bad(path + ".tickets", "must be at least 1");
    if (!(q->cpu >= 0.01)) return bad(path + ".cpu", "must be at least 0.01");
    if (q->memory_mb < 16) return bad(path + ".memory_mb", "must be at least 16");
    if (q->games < 1) return bad(path + ".games", "must be at least 1");
  }
  return {};
}

}  // namespace webgames
