#include "domain/quota.h"

#include <fmt/format.h>

namespace webgames {

const QuotaLimits& Quotas::of(const std::string& developer_id) const {
  auto it = per_developer_.find(developer_id);
  return it == per_developer_.end() ? defaults_ : it->second;
}

std::optional<QuotaRefusal> Quotas::server_refusal(const std::string& developer_id, const QuotaUse& use, double cpu,
                                                   int memory_mb) const {
  const auto& q = of(developer_id);
  if (use.servers + 1 > q.servers)
    return QuotaRefusal{"servers", fmt::format("quota servers: the developer's games run {} of {} servers allowed",
                                               use.servers, q.servers)};
  // A small tolerance: sums of fractional cores are not exact.
  if (use.cpu + cpu > q.cpu + 1e-9)
    return QuotaRefusal{"cpu", fmt::format("quota cpu: the developer's servers reserve {:g} of {:g} cores allowed, "
                                           "this one needs {:g}",
                                           use.cpu, q.cpu, cpu)};
  if (use.memory_mb + memory_mb > q.memory_mb)
    return QuotaRefusal{"memory_mb",
                        fmt::format("quota memory_mb: the developer's servers reserve {} of {} MiB allowed, "
                                    "this one needs {}",
                                    use.memory_mb, q.memory_mb, memory_mb)};
  return std::nullopt;
}

std::optional<QuotaRefusal> Quotas::ticket_refusal(const std::string& developer_id, std::size_t waiting) const {
  const auto& q = of(developer_id);
  if (waiting + 1 > static_cast<std::size_t>(q.tickets))
    return QuotaRefusal{"tickets", fmt::format("quota tickets: the game's developer has {} of {} tickets allowed "
                                               "waiting; try again shortly",
                                               waiting, q.tickets)};
  return std::nullopt;
}

std::optional<QuotaRefusal> Quotas::game_refusal(const std::string& developer_id, std::size_t registered) const {
  const auto& q = of(developer_id);
  if (registered + 1 > static_cast<std::size_t>(q.games))
    return QuotaRefusal{"games", fmt::format("quota games: you have {} of {} games allowed registered; delete one "
                                             "first",
                                             registered, q.games)};
  return std::nullopt;
}

}  // namespace webgames
