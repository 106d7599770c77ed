#pragma once
// Per-developer quotas: how much of an installation one developer's games
// may hold at once, so that one tenant cannot starve the others
// (docs/configuration.md#quotas). Pure: no I/O, no clock.

#include <map>
#include <optional>
#include <string>

namespace webgames {

// The limits of one developer. Every limit is at least 1 (cpu: 0.01).
struct QuotaLimits {
  int servers = 100;        // game servers running at once. Default: 100
  int tickets = 10'000;     // tickets waiting in all their games' queues. Default: 10,000
  double cpu = 100;         // cores reserved by their running servers (server.cpu). Default: 100
  int memory_mb = 102'400;  // MiB reserved by their running servers (server.memory_mb). Default: 100 GiB
  // Games registered at once: each one's queues are matched, sampled and
  // served every tick, whoever plays them. Default: 100
  int games = 100;
};

// What one developer's running servers hold now.
struct QuotaUse {
  int servers = 0;
  double cpu = 0;
  long long memory_mb = 0;
};

// A quota that refuses: its name ("servers", "tickets", "cpu", "memory_mb",
// "games", as in the configuration) and a message that names it.
struct QuotaRefusal {
  std::string quota;
  std::string message;
};

class Quotas {
 public:
  // `per_developer`: account id -> limits replacing the defaults for that developer.
  Quotas() = default;
  explicit Quotas(QuotaLimits defaults, std::map<std::string, QuotaLimits> per_developer = {})
      : defaults_(defaults), per_developer_(std::move(per_developer)) {}

  const QuotaLimits& of(const std::string& developer_id) const;

  // Whether one more server reserving `cpu` cores and `memory_mb` MiB fits
  // beside `use`; the first quota it would exceed otherwise.
  std::optional<QuotaRefusal> server_refusal(const std::string& developer_id, const QuotaUse& use, double cpu,
                                             int memory_mb) const;
  // Whether one more ticket fits beside `waiting` ones.
  std::optional<QuotaRefusal> ticket_refusal(const std::string& developer_id, std::size_t waiting) const;
  // Whether one more game fits beside `registered` ones.
  std::optional<QuotaRefusal> game_refusal(const std::string& developer_id, std::size_t registered) const;

 private:
  QuotaLimits defaults_;
  std::map<std::string, QuotaLimits> per_developer_;
};

}  // namespace webgames
