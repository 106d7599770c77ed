#include "matchmaker/queue_breakdown.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace webgames {
namespace {

using std::chrono::milliseconds;

// Wait bands' edges besides the rules' steps.
constexpr std::int64_t kWaitEdgesS[] = {0, 5, 10, 20, 30, 60, 120, 300, 600, 1800};

// 1, 2 or 5 × 10^k, the smallest at least `x` (and at least 1e-3).
double nice_width(double x) {
  if (!(x > 1e-3)) return 1e-3;
  double unit = std::pow(10.0, std::floor(std::log10(x)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * unit >= x) return m * unit;
  return 10 * unit;
}

std::vector<milliseconds> wait_edges(const QueueRules& rules) {
  std::vector<milliseconds> edges;
  for (auto s : kWaitEdgesS) edges.push_back(std::chrono::seconds(s));
  for (const auto& step : rules.skill.window) edges.push_back(step.after);
  for (const auto& step : rules.latency.max_ping) edges.push_back(step.after);
  if (rules.start_below_max_after) edges.push_back(*rules.start_below_max_after);
  std::sort(edges.begin(), edges.end());
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  return edges;
}

// The index of the step in force after `waited` (the first before any).
int step_at(const std::vector<WindowStep>& steps, milliseconds waited) {
  int at = 0;
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (steps[i].after <= waited) at = static_cast<int>(i);
  return at;
}

}  // namespace

QueueBreakdown break_down(const QueueMatcher& matcher, TimePoint now, BreakdownOptions options) {
  const auto& spec = matcher.spec();
  const auto& rules = spec.rules;
  QueueBreakdown out;

  auto edges = wait_edges(rules);
  for (std::size_t i = 0; i < edges.size(); ++i) {
    WaitBand band;
    band.from = edges[i];
    if (i + 1 < edges.size()) band.to = edges[i + 1];
    if (rules.skill.enabled()) {
      band.skill_step = step_at(rules.skill.window, band.from);
      band.skill_window = rules.skill.window[static_cast<std::size_t>(band.skill_step)].value;
    }
    if (rules.latency.enabled()) {
      band.ping_step = step_at(rules.latency.max_ping, band.from);
      band.max_ping_ms = rules.latency.max_ping[static_cast<std::size_t>(band.ping_step)].value;
    }
    band.below_max = spec.min_players < rules.max_players && rules.start_below_max_after &&
                     band.from >= *rules.start_below_max_after;
    out.by_wait.push_back(band);
  }

  struct Seen {
    double skill;
    int players;
  };
  std::vector<Seen> skills;
  std::map<std::string, RegionBand, std::less<>> regions;
  out.counted = matcher.visit_waiting(now, options.max_tickets, [&](const WaitingTicket& t) {
    auto players = static_cast<std::size_t>(t.players);
    auto band = std::upper_bound(edges.begin(), edges.end(), t.waited) - edges.begin() - 1;
    auto& w = out.by_wait[static_cast<std::size_t>(std::max<std::ptrdiff_t>(band, 0))];
    ++w.tickets;
    w.players += players;
    auto it = regions.find(t.region);
    if (it == regions.end()) it = regions.emplace(std::string(t.region), RegionBand{std::string(t.region)}).first;
    ++it->second.tickets;
    it->second.players += players;
    if (rules.skill.enabled()) skills.push_back({t.skill, t.players});
  });
  out.complete = out.counted == matcher.waiting();

  for (auto& [name, band] : regions) out.by_region.push_back(std::move(band));
  std::stable_sort(out.by_region.begin(), out.by_region.end(),
                   [](const RegionBand& a, const RegionBand& b) { return a.tickets > b.tickets; });

  if (!skills.empty()) {
    auto [lo, hi] = std::minmax_element(skills.begin(), skills.end(),
                                        [](const Seen& a, const Seen& b) { return a.skill < b.skill; });
    double width =
        nice_width((hi->skill - lo->skill) / static_cast<double>(std::max<std::size_t>(options.skill_bands, 1)));
    double first = std::floor(lo->skill / width) * width;
    auto count = static_cast<std::size_t>(std::floor((hi->skill - first) / width)) + 1;
    count = std::min(count, options.skill_bands + 1);
    for (std::size_t i = 0; i < count; ++i)
      out.by_skill.push_back({first + width * static_cast<double>(i), first + width * static_cast<double>(i + 1)});
    for (const auto& s : skills) {
      auto i = std::min(static_cast<std::size_t>(std::max(0.0, std::floor((s.skill - first) / width))), count - 1);
      ++out.by_skill[i].tickets;
      out.by_skill[i].players += static_cast<std::size_t>(s.players);
    }
  }
  return out;
}

}  // namespace webgames
