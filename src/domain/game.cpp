#include "domain/game.h"

#include "core/text.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace webgames {
namespace {

Error field_error(std::string field, std::string_view message) {
  // Formatted before `field` is moved: the order in which a call's
  // arguments are evaluated is unspecified (GCC moved it first).
  auto text = fmt::format("{}: {}", field, message);
  return make_error(Errc::invalid_field, std::move(text), std::move(field));
}

// What execve() would cut short: a command, argument or variable is a C string.
bool has_nul(std::string_view text) { return text.find('\0') != std::string_view::npos; }

bool is_env_name(std::string_view key) {
  if (key.empty() || key.size() > 128 || (key[0] >= '0' && key[0] <= '9')) return false;
  for (char c : key)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

Result<void> validate_server(ServerSpec& s) {
  using L = GameLimits;
  if (s.command.empty() == s.image.empty()) return field_error("server", "exactly one of command or image is required");
  if (s.command.size() > L::max_command)
    return field_error("server.command", fmt::format("must be at most {} bytes", L::max_command));
  if (s.image.size() > L::max_command)
    return field_error("server.image", fmt::format("must be at most {} bytes", L::max_command));
  if (has_nul(s.command)) return field_error("server.command", "must not contain a NUL byte");
  if (has_nul(s.image)) return field_error("server.image", "must not contain a NUL byte");
  if (s.args.size() > L::max_args) return field_error("server.args", fmt::format("at most {} arguments", L::max_args));
  for (std::size_t i = 0; i < s.args.size(); ++i)
    if (s.args[i].size() > L::max_command)
      return field_error(fmt::format("server.args[{}]", i), fmt::format("must be at most {} bytes", L::max_command));
    else if (has_nul(s.args[i]))
      return field_error(fmt::format("server.args[{}]", i), "must not contain a NUL byte");
  if (s.env.size() > L::max_env) return field_error("server.env", fmt::format("at most {} variables", L::max_env));
  for (const auto& [key, value] : s.env) {
    auto field = fmt::format("server.env.{}", key.substr(0, 128));
    if (!is_env_name(key))
      return field_error(field, "names are 1 to 128 of A-Z, 0-9 and '_', not starting with a digit");
    if (key.starts_with("WEBGAMES_")) return field_error(field, "WEBGAMES_* variables are set by Webgames");
    if (value.size() > L::max_env_value)
      return field_error(field, fmt::format("must be at most {} bytes", L::max_env_value));
    if (has_nul(value)) return field_error(field, "must not contain a NUL byte");
  }
  if (s.ports.empty()) return field_error("server.ports", "at least one port is required");
  if (s.ports.size() > L::max_ports) return field_error("server.ports", fmt::format("at most {} ports", L::max_ports));
  std::set<std::string> port_names;
  for (std::size_t i = 0; i < s.ports.size(); ++i) {
    if (!is_slug(s.ports[i].name, 32))
      return field_error(fmt::format("server.ports[{}].name", i), "must be 1 to 32 of a-z, 0-9 and '-'");
    if (!port_names.insert(s.ports[i].name).second)
      return field_error(fmt::format("server.ports[{}].name", i), "port names must be unique");
  }
  if (!(s.cpu >= 0.01 && s.cpu <= 64)) return field_error("server.cpu", "must be between 0.01 and 64 cores");
  if (s.memory_mb < 16 || s.memory_mb > 65536) return field_error("server.memory_mb", "must be between 16 and 65536");
  if (s.max_duration_s < 10 || s.max_duration_s > 86400)
    return field_error("server.max_duration_s", "must be between 10 and 86400 seconds");
  if (s.pids_limit < 8 || s.pids_limit > 32768) return field_error("server.pids_limit", "must be between 8 and 32768");
  if (s.capabilities.size() > L::max_capabilities)
    return field_error("server.capabilities", fmt::format("at most {} capabilities", L::max_capabilities));
  for (std::size_t i = 0; i < s.capabilities.size(); ++i) {
    const auto& cap = s.capabilities[i];
    auto cap_char = [](char c) { return (c >= 'A' && c <= 'Z') || c == '_'; };
    bool name_ok = !cap.empty() && cap.size() <= 32 && std::all_of(cap.begin(), cap.end(), cap_char);
    if (!name_ok || cap.starts_with("CAP_") || cap == "ALL")
      return field_error(fmt::format("server.capabilities[{}]", i),
                         "a capability name without CAP_, such as NET_BIND_SERVICE (A-Z and '_', not ALL)");
  }
  return {};
}

Result<void> validate_queue(QueueSpec& q, std::size_t i) {
  using L = GameLimits;
  auto at = [i](std::string_view f) { return fmt::format("queues[{}].{}", i, f); };
  if (!is_slug(q.name))
    return field_error(at("name"), "must be 1 to 64 of a-z, 0-9 and '-', starting with a letter or digit");
  if (q.teams < 1 || q.teams > L::max_teams)
    return field_error(at("teams"), fmt::format("must be between 1 and {}", L::max_teams));
  if (q.team_size < 1 || q.team_size > L::max_team_size)
    return field_error(at("team_size"), fmt::format("must be between 1 and {}", L::max_team_size));
  int capacity = q.teams * q.team_size;
  if (capacity > L::max_players)
    return field_error(at("team_size"), fmt::format("teams × team_size must be at most {}", L::max_players));
  return validate_queue_rules(q.rules, q.teams, q.team_size, q.min_players, fmt::format("queues[{}]", i));
}

Result<void> validate_pool(const PoolSpec& p) {
  using L = PoolLimits;
  auto between = [](int lo, int hi) { return fmt::format("must be between {} and {}", lo, hi); };
  if (p.max_ready < 0 || p.max_ready > L::max_ready) return field_error("pool.max_ready", between(0, L::max_ready));
  if (p.min_ready < 0 || p.min_ready > p.max_ready)
    return field_error("pool.min_ready", between(0, p.max_ready) + " (pool.max_ready)");
  if (p.buffer < 0 || p.buffer > p.max_ready)
    return field_error("pool.buffer", between(0, p.max_ready) + " (pool.max_ready)");
  if (p.idle_timeout_s < 0 || p.idle_timeout_s > L::max_idle_timeout_s)
    return field_error("pool.idle_timeout_s", between(0, L::max_idle_timeout_s) + " seconds");
  if (!(p.cold_start_probability >= 0.0001 && p.cold_start_probability <= 0.5))
    return field_error("pool.cold_start_probability", "must be between 0.0001 and 0.5");
  return {};
}

}  // namespace

std::string_view to_string(Protocol p) {
  switch (p) {
    case Protocol::udp:
      return "udp";
    case Protocol::ws:
      return "ws";
    case Protocol::tcp:
      break;
  }
  return "tcp";
}

std::string_view transport_of(Protocol p) { return p == Protocol::udp ? "udp" : "tcp"; }

std::optional<Protocol> parse_protocol(std::string_view text) {
  if (text == "tcp") return Protocol::tcp;
  if (text == "udp") return Protocol::udp;
  if (text == "ws") return Protocol::ws;
  return std::nullopt;
}

bool is_slug(std::string_view text, std::size_t max) {
  if (text.empty() || text.size() > max) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(text.front())) return false;
  for (char c : text)
    if (!alnum(c) && c != '-') return false;
  return true;
}

Result<void> validate_game(Game& game) {
  using L = GameLimits;
  if (!is_slug(game.name))
    return field_error("name", "must be 1 to 64 of a-z, 0-9 and '-', starting with a letter or digit");
  if (game.title.empty()) game.title = game.name;
  if (game.title.size() > L::max_title)
    return field_error("title", fmt::format("must be at most {} bytes", L::max_title));
  if (holds_control_characters(game.title))
    return field_error("title", "must not hold control characters (newlines, NUL, bidirectional overrides …)");
  if (auto r = validate_server(game.server); !r) return r;
  if (game.queues.empty()) return field_error("queues", "at least one queue is required");
  if (game.queues.size() > L::max_queues) return field_error("queues", fmt::format("at most {} queues", L::max_queues));
  std::set<std::string> names;
  for (std::size_t i = 0; i < game.queues.size(); ++i) {
    if (auto r = validate_queue(game.queues[i], i); !r) return r;
    if (!names.insert(game.queues[i].name).second)
      return field_error(fmt::format("queues[{}].name", i), "queue names must be unique within a game");
  }
  return validate_pool(game.pool);
}

}  // namespace webgames
