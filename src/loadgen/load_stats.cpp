#include "loadgen/load_stats.h"

#include <fmt/format.h>
#include <boost/json/array.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace webgames::loadgen {
namespace {

namespace json = boost::json;

double ms(LoadStats::Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double round3(double v) { return std::round(v * 1000.0) / 1000.0; }

json::object counts(const std::map<std::string, std::int64_t>& m) {
  json::object o;
  for (const auto& [k, v] : m) o[k] = v;
  return o;
}

}  // namespace

void LoadStats::player_online(int delta) {
  std::lock_guard lock(mutex_);
  r_.players_online += delta;
}

void LoadStats::waiting(int delta) {
  std::lock_guard lock(mutex_);
  r_.waiting += delta;
}

void LoadStats::playing(int delta) {
  std::lock_guard lock(mutex_);
  r_.playing += delta;
}

void LoadStats::set_players(std::int64_t n) {
  std::lock_guard lock(mutex_);
  r_.players = n;
}

void LoadStats::ticket_created() {
  std::lock_guard lock(mutex_);
  ++r_.tickets_created;
}

void LoadStats::ticket_ended(TicketEnd end) {
  std::lock_guard lock(mutex_);
  switch (end) {
    case TicketEnd::matched:
      ++r_.tickets_matched;
      break;
    case TicketEnd::cancelled:
      ++r_.tickets_cancelled;
      break;
    case TicketEnd::expired:
      ++r_.tickets_expired;
      break;
  }
}

void LoadStats::player_told(bool told) {
  std::lock_guard lock(mutex_);
  ++(told ? r_.players_told : r_.players_untold);
}

void LoadStats::ttp(Clock::duration to_ready, Clock::duration to_connected) {
  std::lock_guard lock(mutex_);
  r_.ttp_ready_ms.push_back(ms(to_ready));
  r_.ttp_ms.push_back(ms(to_connected));
}

void LoadStats::ttp_ready_only(Clock::duration to_ready) {
  std::lock_guard lock(mutex_);
  r_.ttp_ready_ms.push_back(ms(to_ready));
}

void LoadStats::game_over(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  ++r_.games;
  if (sessions_.insert(session_id).second) ++r_.matches;
}

void LoadStats::error(const std::string& kind) {
  std::lock_guard lock(mutex_);
  ++r_.errors[kind];
}

void LoadStats::note(const std::string& kind) {
  std::lock_guard lock(mutex_);
  ++r_.notes[kind];
}

LoadReport LoadStats::snapshot(Clock::time_point now) const {
  std::lock_guard lock(mutex_);
  LoadReport r = r_;
  r.elapsed_s = std::chrono::duration<double>(now - start_).count();
  r.tickets_pending = r.tickets_created - r.tickets_matched - r.tickets_cancelled - r.tickets_expired;
  return r;
}

double percentile(std::vector<double> samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(samples.size())));
  return samples[std::clamp<std::size_t>(rank, 1, samples.size()) - 1];
}

json::object report_json(const LoadReport& r) {
  auto max_of = [](const std::vector<double>& v) { return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end()); };
  std::int64_t errors = 0;
  for (const auto& [kind, n] : r.errors) errors += n;
  return {
      {"players", r.players},
      {"duration_s", round3(r.elapsed_s)},
      {"matches", r.matches},
      {"matches_per_s", round3(r.elapsed_s > 0 ? static_cast<double>(r.matches) / r.elapsed_s : 0.0)},
      {"games", r.games},
      {"ttp_p50_ms", round3(percentile(r.ttp_ms, 50))},
      {"ttp_p99_ms", round3(percentile(r.ttp_ms, 99))},
      {"ttp_max_ms", round3(max_of(r.ttp_ms))},
      {"ttp_ready_p50_ms", round3(percentile(r.ttp_ready_ms, 50))},
      {"ttp_ready_p99_ms", round3(percentile(r.ttp_ready_ms, 99))},
      {"ttp_ready_max_ms", round3(max_of(r.ttp_ready_ms))},
      {"tickets", json::object{{"created", r.tickets_created},
                               {"matched", r.tickets_matched},
                               {"cancelled", r.tickets_cancelled},
                               {"expired", r.tickets_expired},
                               {"pending", r.tickets_pending},
                               {"players_told", r.players_told},
                               {"players_untold", r.players_untold}}},
      {"error_count", errors},
      {"errors", counts(r.errors)},
      {"notes", counts(r.notes)},
  };
}

std::string progress_line(const LoadReport& r) {
  std::int64_t errors = 0;
  for (const auto& [kind, n] : r.errors) errors += n;
  double rate = r.elapsed_s > 0 ? static_cast<double>(r.matches) / r.elapsed_s : 0.0;
  return fmt::format(
      "loadgen {:.0f}s: {} players ({} online, {} waiting, {} playing), {} tickets, {} matches ({:.1f}/s), "
      "ttp p50 {:.0f} ms p99 {:.0f} ms, {} errors",
      r.elapsed_s, r.players, r.players_online, r.waiting, r.playing, r.tickets_created, r.matches, rate,
      percentile(r.ttp_ms, 50), percentile(r.ttp_ms, 99), errors);
}

}  // namespace webgames::loadgen
