#include "domain/game_json.h"

#include "core/json_fields.h"
#include "domain/queue_rules_json.h"

#include <fmt/format.h>

namespace webgames {
namespace {

namespace json = boost::json;

constexpr std::int64_t kIntMax = 1'000'000'000;

Result<std::vector<std::string>> string_array(const JsonFields& f, std::string_view key, std::size_t max_items,
                                              std::size_t max_bytes) {
  auto arr = f.array_or_null(key, max_items);
  if (!arr) return arr.error();
  std::vector<std::string> out;
  if (!*arr) return out;
  for (std::size_t i = 0; i < (*arr)->size(); ++i) {
    const auto& v = (**arr)[i];
    auto field = fmt::format("{}[{}]", f.path_of(key), i);
    if (!v.is_string()) return make_error(Errc::invalid_request, field + " must be a string", field);
    if (v.get_string().size() > max_bytes)
      return make_error(Errc::invalid_field, fmt::format("{} must be at most {} bytes", field, max_bytes), field);
    out.emplace_back(v.get_string());
  }
  return out;
}

Result<PortSpec> port_from_json(const json::value& v, std::string path) {
  auto f = JsonFields::of(v, path);
  if (!f) return f.error();
  if (auto r = f->only({"name", "protocol"}); !r) return r.error();
  PortSpec port;
  auto name = f->string("name", 64);
  if (!name) return name.error();
  port.name = std::move(*name);
  auto protocol = f->string_or("protocol", 16, "tcp");
  if (!protocol) return protocol.error();
  auto parsed = parse_protocol(*protocol);
  if (!parsed)
    return make_error(Errc::invalid_field, f->path_of("protocol") + " must be \"tcp\", \"udp\" or \"ws\"",
                      f->path_of("protocol"));
  port.protocol = *parsed;
  return port;
}

Result<ServerSpec> server_from_json(const json::value& v) {
  auto f = JsonFields::of(v, "server");
  if (!f) return f.error();
  if (auto r = f->only({"command", "args", "image", "env", "ports", "cpu", "memory_mb", "max_duration_s", "network",
                        "pids_limit", "capabilities", "read_only_root"});
      !r)
    return r.error();
  ServerSpec s;
  auto command = f->string_or("command", GameLimits::max_command + 1, "");
  if (!command) return command.error();
  s.command = std::move(*command);
  auto image = f->string_or("image", GameLimits::max_command + 1, "");
  if (!image) return image.error();
  s.image = std::move(*image);
  auto args = string_array(*f, "args", GameLimits::max_args, GameLimits::max_command);
  if (!args) return args.error();
  s.args = std::move(*args);

  auto env = f->object_or_null("env", GameLimits::max_env);
  if (!env) return env.error();
  if (*env) {
    for (const auto& kv : **env) {
      auto field = fmt::format("server.env.{}", std::string_view(kv.key()).substr(0, 128));
      if (!kv.value().is_string()) return make_error(Errc::invalid_request, field + " must be a string", field);
      s.env.emplace(std::string(kv.key()), std::string(kv.value().get_string()));
    }
  }

  // Absent is a malformed request (400); empty breaks a rule (422, validate_game).
  auto ports = f->array("ports", GameLimits::max_ports);
  if (!ports) return ports.error();
  for (std::size_t i = 0; i < (*ports)->size(); ++i) {
    auto port = port_from_json((**ports)[i], fmt::format("server.ports[{}]", i));
    if (!port) return port.error();
    s.ports.push_back(std::move(*port));
  }
  auto cpu = f->number_or("cpu", -1e9, 1e9, s.cpu);
  if (!cpu) return cpu.error();
  s.cpu = *cpu;
  auto memory = f->integer_or("memory_mb", -kIntMax, kIntMax, s.memory_mb);
  if (!memory) return memory.error();
  s.memory_mb = static_cast<int>(*memory);
  auto duration = f->integer_or("max_duration_s", -kIntMax, kIntMax, s.max_duration_s);
  if (!duration) return duration.error();
  s.max_duration_s = static_cast<int>(*duration);
  auto network = f->string_or("network", 16, "bridge");
  if (!network) return network.error();
  if (*network != "bridge" && *network != "host")
    return make_error(Errc::invalid_field, "server.network must be \"bridge\" or \"host\"", "server.network");
  s.host_network = *network == "host";
  auto pids = f->integer_or("pids_limit", -kIntMax, kIntMax, s.pids_limit);
  if (!pids) return pids.error();
  s.pids_limit = static_cast<int>(*pids);
  auto caps = string_array(*f, "capabilities", GameLimits::max_capabilities, 64);
  if (!caps) return caps.error();
  s.capabilities = std::move(*caps);
  if (auto* ro = f->object().if_contains("read_only_root")) {
    if (!ro->is_bool())
      return make_error(Errc::invalid_request, "server.read_only_root must be a boolean", "server.read_only_root");
    s.read_only_root = ro->get_bool();
  }
  return s;
}

Result<QueueSpec> queue_from_json(const json::value& v, std::string path) {
  auto f = JsonFields::of(v, std::move(path));
  if (!f) return f.error();
  if (auto r = f->only({"name", "teams", "team_size", "min_players", "rules"}); !r) return r.error();
  QueueSpec q;
  auto name = f->string("name", GameLimits::max_name + 1);
  if (!name) return name.error();
  q.name = std::move(*name);
  auto teams = f->integer_or("teams", -kIntMax, kIntMax, q.teams);
  if (!teams) return teams.error();
  auto team_size = f->integer_or("team_size", -kIntMax, kIntMax, q.team_size);
  if (!team_size) return team_size.error();
  auto min_players = f->integer_or("min_players", -kIntMax, kIntMax, 0);
  if (!min_players) return min_players.error();
  q.teams = static_cast<int>(*teams);
  q.team_size = static_cast<int>(*team_size);
  q.min_players = static_cast<int>(*min_players);
  if (auto rules = f->object().find("rules"); rules != f->object().end()) {
    auto parsed = queue_rules_from_json(rules->value(), f->path_of("rules"));
    if (!parsed) return parsed.error();
    q.rules = std::move(*parsed);
  }
  return q;
}

Result<PoolSpec> pool_from_json(const json::value& v) {
  auto f = JsonFields::of(v, "pool");
  if (!f) return f.error();
  if (auto r = f->only({"policy", "buffer", "min_ready", "max_ready", "idle_timeout_s", "cold_start_probability"}); !r)
    return r.error();
  PoolSpec p;
  auto policy = f->string_or("policy", 16, "off");
  if (!policy) return policy.error();
  auto parsed = parse_pool_policy(*policy);
  if (!parsed)
    return make_error(Errc::invalid_field, "pool.policy must be \"off\", \"buffer\" or \"predictive\"", "pool.policy");
  p.policy = *parsed;
  for (auto [key, field] : {std::pair{"buffer", &p.buffer}, std::pair{"min_ready", &p.min_ready},
                            std::pair{"max_ready", &p.max_ready}, std::pair{"idle_timeout_s", &p.idle_timeout_s}}) {
    auto n = f->integer_or(key, -kIntMax, kIntMax, *field);
    if (!n) return n.error();
    *field = static_cast<int>(*n);
  }
  auto probability = f->number_or("cold_start_probability", -1e9, 1e9, p.cold_start_probability);
  if (!probability) return probability.error();
  p.cold_start_probability = *probability;
  return p;
}

}  // namespace

Result<Game> game_from_json(const json::value& value) {
  auto f = JsonFields::of(value);
  if (!f) return f.error();
  if (auto r = f->only({"id", "name", "title", "server", "queues", "pool", "owner_id", "created_at", "updated_at"}); !r)
    return r.error();
  Game game;
  auto name = f->string("name", GameLimits::max_name + 1);
  if (!name) return name.error();
  game.name = std::move(*name);
  auto title = f->string_or("title", GameLimits::max_title, "");
  if (!title) return title.error();
  game.title = std::move(*title);

  auto server = f->object().find("server");
  if (server == f->object().end()) return make_error(Errc::invalid_request, "server is required", "server");
  auto spec = server_from_json(server->value());
  if (!spec) return spec.error();
  game.server = std::move(*spec);

  auto queues = f->array("queues", GameLimits::max_queues);
  if (!queues) return queues.error();
  for (std::size_t i = 0; i < (*queues)->size(); ++i) {
    auto q = queue_from_json((**queues)[i], fmt::format("queues[{}]", i));
    if (!q) return q.error();
    game.queues.push_back(std::move(*q));
  }
  if (auto pool = f->object().find("pool"); pool != f->object().end()) {
    auto parsed = pool_from_json(pool->value());
    if (!parsed) return parsed.error();
    game.pool = *parsed;
  }
  return game;
}

json::object game_to_json(const Game& game) {
  json::object server;
  if (!game.server.command.empty()) server["command"] = game.server.command;
  if (!game.server.image.empty()) server["image"] = game.server.image;
  json::array args;  // for a command, its arguments; for an image, the entrypoint's
  for (const auto& a : game.server.args) args.emplace_back(a);
  server["args"] = std::move(args);
  json::object env;
  for (const auto& [k, v] : game.server.env) env[k] = v;
  server["env"] = std::move(env);
  json::array ports;
  for (const auto& p : game.server.ports)
    ports.push_back(json::object{{"name", p.name}, {"protocol", to_string(p.protocol)}});
  server["ports"] = std::move(ports);
  server["cpu"] = game.server.cpu;
  server["memory_mb"] = game.server.memory_mb;
  server["max_duration_s"] = game.server.max_duration_s;
  server["network"] = game.server.host_network ? "host" : "bridge";
  server["pids_limit"] = game.server.pids_limit;
  json::array caps;
  for (const auto& c : game.server.capabilities) caps.emplace_back(c);
  server["capabilities"] = std::move(caps);
  server["read_only_root"] = game.server.read_only_root;

  json::array queues;
  for (const auto& q : game.queues)
    queues.push_back(json::object{{"name", q.name},
                                  {"teams", q.teams},
                                  {"team_size", q.team_size},
                                  {"min_players", q.min_players},
                                  {"rules", queue_rules_to_json(q.rules)}});

  return json::object{
      {"id", game.id},
      {"name", game.name},
      {"title", game.title},
      {"owner_id", game.owner_id},
      {"server", std::move(server)},
      {"queues", std::move(queues)},
      {"pool", json::object{{"policy", to_string(game.pool.policy)},
                            {"buffer", game.pool.buffer},
                            {"min_ready", game.pool.min_ready},
                            {"max_ready", game.pool.max_ready},
                            {"idle_timeout_s", game.pool.idle_timeout_s},
                            {"cold_start_probability", game.pool.cold_start_probability}}},
      {"created_at", unix_seconds(game.created_at)},
      {"updated_at", unix_seconds(game.updated_at)},
  };
}

}  // namespace webgames
