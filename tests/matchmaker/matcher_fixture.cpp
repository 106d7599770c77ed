#include "matcher_fixture.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace webgames::testing {
namespace {

using std::chrono::milliseconds;

const TestTicket* oldest_of(const std::vector<const TestTicket*>& ts) {
  return *std::min_element(ts.begin(), ts.end(), [](const TestTicket* a, const TestTicket* b) {
    return a->created_at != b->created_at ? a->created_at < b->created_at : a->seq < b->seq;
  });
}

// The rules that do not depend on the placement in teams; `region` is
// checked when not empty, else some region must do when latency is on.
std::string set_violation(const QueueSpec& spec, const std::vector<const TestTicket*>& ts, const std::string& region,
                          TimePoint now) {
  const auto& rules = spec.rules;
  const auto* anchor = oldest_of(ts);
  auto waited = std::chrono::duration_cast<milliseconds>(now - anchor->created_at);
  if (rules.skill.enabled()) {
    double w = window_at(rules.skill.window, waited);
    for (const auto* t : ts)
      if (std::abs(t->skill - anchor->skill) > w)
        return fmt::format("ticket {} skill {} is beyond {} of the anchor's {}", t->key, t->skill, w, anchor->skill);
  }
  for (const auto& a : rules.attributes) {
    std::set<std::string> values;
    for (const auto* t : ts) values.insert(t->tag(a.tag));
    if (a.must == AttributeMust::equal && values.size() > 1) return "attribute " + a.tag + " differs";
    if (a.must == AttributeMust::differ && values.size() < ts.size()) return "attribute " + a.tag + " repeats";
  }
  if (rules.latency.enabled()) {
    double limit = window_at(rules.latency.max_ping, waited);
    auto fits = [&](const std::string& r) {
      return std::all_of(ts.begin(), ts.end(), [&](const TestTicket* t) { return t->ping(r) && *t->ping(r) <= limit; });
    };
    if (!region.empty()) {
      if (!fits(region)) return fmt::format("a ping in {} is above {}", region, limit);
    } else {
      bool any = false;
      for (const auto& [r, ms] : anchor->pings) any = any || fits(r);
      if (!any) return "no region holds every ping";
    }
  }
  return "";
}

bool total_allowed(const QueueSpec& spec, int total, milliseconds waited) {
  if (total == spec.rules.max_players) return true;
  return spec.min_players < spec.rules.max_players &&
         waited >= spec.rules.start_below_max_after.value_or(std::chrono::seconds(10)) && total >= spec.min_players &&
         total <= spec.rules.max_players;
}

bool placeable(const QueueSpec& spec, const std::vector<const TestTicket*>& ts, std::size_t i, std::vector<int>& fill) {
  if (i == ts.size())
    return std::all_of(fill.begin(), fill.end(), [&](int f) { return f >= spec.rules.min_team_size; });
  for (auto& f : fill) {
    if (f + ts[i]->players > spec.team_size) continue;
    f += ts[i]->players;
    bool ok = placeable(spec, ts, i + 1, fill);
    f -= ts[i]->players;
    if (ok) return true;
  }
  return false;
}

}  // namespace

std::string match_violation(const QueueSpec& spec, const std::map<TicketKey, TestTicket>& tickets,
                            const std::vector<std::vector<TicketKey>>& teams, const std::string& region,
                            TimePoint now) {
  if (teams.size() != static_cast<std::size_t>(spec.teams)) return "wrong number of teams";
  std::vector<const TestTicket*> ts;
  std::set<TicketKey> seen;
  int total = 0;
  for (const auto& team : teams) {
    int size = 0;
    for (auto k : team) {
      if (!seen.insert(k).second) return fmt::format("ticket {} twice", k);
      auto it = tickets.find(k);
      if (it == tickets.end()) return fmt::format("unknown ticket {}", k);
      ts.push_back(&it->second);
      size += it->second.players;
    }
    if (size > spec.team_size || size < spec.rules.min_team_size) return fmt::format("a team of {}", size);
    total += size;
  }
  if (ts.empty()) return "an empty match";
  auto waited = std::chrono::duration_cast<milliseconds>(now - oldest_of(ts)->created_at);
  if (!total_allowed(spec, total, waited)) return fmt::format("{} players after {} ms", total, waited.count());
  if (spec.rules.latency.enabled() && region.empty()) return "no region";
  return set_violation(spec, ts, spec.rules.latency.enabled() ? region : "", now);
}

bool valid_match_exists(const QueueSpec& spec, const std::vector<const TestTicket*>& waiting, TimePoint now) {
  auto n = waiting.size();
  for (std::uint32_t mask = 1; mask < (1u << n); ++mask) {
    std::vector<const TestTicket*> ts;
    int total = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (mask & (1u << i)) {
        ts.push_back(waiting[i]);
        total += waiting[i]->players;
      }
    auto waited = std::chrono::duration_cast<milliseconds>(now - oldest_of(ts)->created_at);
    if (!total_allowed(spec, total, waited)) continue;
    if (!set_violation(spec, ts, "", now).empty()) continue;
    std::vector<int> fill(static_cast<std::size_t>(spec.teams), 0);
    if (placeable(spec, ts, 0, fill)) return true;
  }
  return false;
}

}  // namespace webgames::testing
