// Matchmaker benchmark (bench/matchmaker/run): one core, in process, no I/O.
//
// Tickets: skill ~ Normal(1500, 300); parties of 1 to 5 (5v5 only; 60 % solo);
// 4 regions, each player near one (10-60 ms) and far from the others
// (80-250 ms); 2 modes.
// Queues: (a) 1v1 with a skill window; (b) 5v5 with parties, a skill window,
// a ping limit per region, mode must be equal, and team balance.
//
// Measures, for 10k, 100k and 1M waiting tickets:
// - drain: the tickets are added (created over the last 10 s) and match()
//   runs until nothing more forms; tickets matched per CPU second (of this
//   thread) of add + match, on an engine warmed by one such drain before.
// - memory: resident bytes per waiting ticket after adding 1M (5v5 rules).
// - quality: the mean skill spread of the 5v5 matches formed against the
//   same tickets grouped at random in groups of the same sizes.
// - delay: a stream of 5v5 tickets at a fixed rate, match() called in a
//   loop, the engine's clock the wall clock; each ticket's delay runs from
//   the moment its match became valid (its last ticket arrived and the
//   anchor's windows allowed it) to the return of the match() that formed it.
// Every loop is bounded in count and in time. The last line is JSON.
#include "matchmaker/queue_matcher.h"

#include <fmt/format.h>

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

namespace webgames {
namespace {

using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kRegions[] = {"eu", "us", "asia", "sa"};
constexpr const char* kModes[] = {"ranked", "casual"};

struct GenTicket {
  TicketKey key;
  int players;
  double skill;
  std::int64_t created_ms;
  std::array<int, 4> pings;
  int mode;
};

class Generator {
 public:
  Generator(std::uint64_t seed, bool parties) : rng_(seed), parties_(parties) {}
  GenTicket next(std::int64_t created_ms) {
    GenTicket t{};
    t.key = ++key_;
    t.players = 1;
    if (parties_) {
      auto p = rng_() % 100;
      t.players = p < 60 ? 1 : p < 80 ? 2 : p < 90 ? 3 : p < 95 ? 4 : 5;
    }
    t.skill = std::round(skill_(rng_));
    t.created_ms = created_ms;
    auto home = rng_() % 4;
    for (std::size_t r = 0; r < 4; ++r)
      t.pings[r] = r == home ? 10 + static_cast<int>(rng_() % 51) : 80 + static_cast<int>(rng_() % 171);
    t.mode = static_cast<int>(rng_() % 2);
    return t;
  }

 private:
  std::mt19937_64 rng_;
  bool parties_;
  std::normal_distribution<double> skill_{1500, 300};
  TicketKey key_ = 0;
};

TimePoint at_ms(std::int64_t ms) { return TimePoint{milliseconds(ms)}; }

Result<void> add(QueueMatcher& m, const GenTicket& t) {
  std::array<RegionPing, 4> pings;
  for (std::size_t r = 0; r < 4; ++r) pings[r] = {kRegions[r], t.pings[r]};
  TagValue mode{"mode", kModes[t.mode]};
  return m.add({t.key, t.players, t.skill, at_ms(t.created_ms), pings, std::span<const TagValue>(&mode, 1)});
}

QueueSpec one_v_one() {
  QueueSpec q{"1v1", 2, 1, 2};
  q.rules.max_players = 2;
  q.rules.min_team_size = 1;
  q.rules.skill.window = {{seconds(0), 50}, {seconds(5), 100}, {seconds(10), 200}, {seconds(20), 400}};
  return q;
}

QueueSpec five_v_five() {
  QueueSpec q{"5v5", 2, 5, 10};
  q.rules.max_players = 10;
  q.rules.min_team_size = 1;
  q.rules.skill.window = {{seconds(0), 100}, {seconds(5), 200}, {seconds(10), 400}};
  q.rules.latency.max_ping = {{seconds(0), 80}, {seconds(10), 150}};
  q.rules.attributes = {{"mode", AttributeMust::equal}};
  q.rules.balance = true;
  return q;
}

double seconds_since(Steady::time_point t0) { return std::chrono::duration<double>(Steady::now() - t0).count(); }

// CPU seconds of this thread: what one core spent, whatever else the machine runs.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

struct Drain {
  double cold_tps = 0;  // the first fill of a new engine: its memory is fresh (page faults)
  std::size_t waiting = 0;
  std::size_t matched = 0;
  double add_s = 0;
  double match_s = 0;
  double tps() const { return static_cast<double>(matched) / (add_s + match_s); }
};

// Adds `n` tickets created over the 10 s before `now`, then matches until
// nothing more forms (at most 100 rounds, 120 s). `skills` gets, per match,
// the skills of its tickets.
Drain drain_once(QueueMatcher& m, Generator& gen, std::size_t n, std::unordered_map<TicketKey, double>& skill_of,
                 std::vector<std::vector<double>>* skills) {
  std::int64_t now = 1'700'000'000'000;
  std::vector<GenTicket> tickets;
  tickets.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    tickets.push_back(gen.next(now - 10'000 + static_cast<std::int64_t>(i * 10'000 / n)));
  for (const auto& t : tickets) skill_of[t.key] = t.skill;
  Drain d;
  auto c0 = cpu_seconds();
  for (const auto& t : tickets)
    if (!add(m, t)) std::abort();
  d.add_s = cpu_seconds() - c0;
  d.waiting = m.waiting();
  c0 = cpu_seconds();
  auto t0 = Steady::now();
  for (int round = 0; round < 100 && seconds_since(t0) < 120; ++round) {
    auto r = m.match(at_ms(now));
    if (r.matches.empty()) break;
    for (const auto& match : r.matches) {
      std::vector<double> s;
      for (const auto& team : match.teams) {
        d.matched += team.size();
        if (skills)
          for (auto k : team) s.push_back(skill_of.at(k));
      }
      if (skills) skills->push_back(std::move(s));
    }
  }
  d.match_s = cpu_seconds() - c0;
  return d;
}

// The engine of a running server is warm: its memory was touched by earlier
// tickets. The figure is the second fill and drain of one engine; the first
// (cold) is reported beside it.
Drain drain(const QueueSpec& spec, bool parties, std::size_t n, std::vector<std::vector<double>>* skills = nullptr) {
  QueueMatcher m(spec);
  Generator gen(42 + n, parties);
  std::unordered_map<TicketKey, double> skill_of;
  auto cold = drain_once(m, gen, n, skill_of, nullptr);
  auto warm = drain_once(m, gen, n, skill_of, skills);
  warm.cold_tps = cold.tps();
  return warm;
}

double mean_spread(const std::vector<std::vector<double>>& groups) {
  double sum = 0;
  for (const auto& g : groups) {
    auto [lo, hi] = std::minmax_element(g.begin(), g.end());
    sum += *hi - *lo;
  }
  return groups.empty() ? 0 : sum / static_cast<double>(groups.size());
}

// The same tickets in random groups of the same sizes.
double random_spread(const std::vector<std::vector<double>>& groups) {
  std::vector<double> all;
  for (const auto& g : groups) all.insert(all.end(), g.begin(), g.end());
  std::mt19937_64 rng(7);
  std::shuffle(all.begin(), all.end(), rng);
  std::vector<std::vector<double>> shuffled;
  std::size_t at = 0;
  for (const auto& g : groups) {
    shuffled.emplace_back(all.begin() + static_cast<std::ptrdiff_t>(at),
                          all.begin() + static_cast<std::ptrdiff_t>(at + g.size()));
    at += g.size();
  }
  return mean_spread(shuffled);
}

struct Stream {
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
  std::size_t matched = 0, arrived = 0;
  double mean_waiting = 0;
};

// The earliest wall time (ms) at which `steps` allowed `needed`, counted from
// the anchor's creation.
std::int64_t allowed_from(const std::vector<WindowStep>& steps, double needed, std::int64_t anchor_ms) {
  for (const auto& s : steps)
    if (s.value >= needed) return anchor_ms + std::chrono::duration_cast<milliseconds>(s.after).count();
  return anchor_ms;
}

// 5v5 tickets arrive at `rate` per second for `duration_s`; match() runs in
// a loop with the wall clock as its clock.
Stream stream(const QueueSpec& spec, double rate, double duration_s) {
  QueueMatcher m(spec);
  Generator gen(99, true);
  std::unordered_map<TicketKey, GenTicket> live;
  std::vector<double> delays;
  Stream out;
  auto t0 = Steady::now();
  auto wall_ms = [&] {
    return 1'700'000'000'000 + std::chrono::duration_cast<milliseconds>(Steady::now() - t0).count();
  };
  // Microseconds since t0: when each ticket was added (became matchable).
  auto wall_us = [&] { return std::chrono::duration<double, std::micro>(Steady::now() - t0).count(); };
  std::unordered_map<TicketKey, double> added_us;
  double waiting_sum = 0;
  std::size_t loops = 0;
  for (; seconds_since(t0) < duration_s && loops < 1'000'000'000; ++loops) {
    auto due = static_cast<std::size_t>(seconds_since(t0) * rate);
    auto now = wall_ms();
    while (out.arrived < due) {
      auto t = gen.next(now);
      if (!add(m, t)) std::abort();
      live.emplace(t.key, t);
      added_us.emplace(t.key, wall_us());
      ++out.arrived;
    }
    auto round = m.match(at_ms(now));
    auto done = wall_us();
    for (const auto& match : round.matches) {
      std::vector<const GenTicket*> ts;
      for (const auto& team : match.teams)
        for (auto k : team) ts.push_back(&live.at(k));
      auto anchor =
          *std::min_element(ts.begin(), ts.end(), [](auto a, auto b) { return a->created_ms < b->created_ms; });
      double valid = 0;  // µs since t0
      double skill_needed = 0;
      int ping_needed = 0;
      std::size_t region = 0;
      while (region < 4 && match.region != kRegions[region]) ++region;
      for (const auto* t : ts) {
        valid = std::max(valid, added_us.at(t->key));
        skill_needed = std::max(skill_needed, std::abs(t->skill - anchor->skill));
        if (region < 4) ping_needed = std::max(ping_needed, t->pings[region]);
      }
      // The engine's clock has milliseconds: a step is seen from its millisecond on.
      auto step_us = [&](std::int64_t at_ms) { return static_cast<double>(at_ms - 1'700'000'000'000) * 1000; };
      valid = std::max(valid, step_us(allowed_from(spec.rules.skill.window, skill_needed, anchor->created_ms)));
      valid = std::max(valid, step_us(allowed_from(spec.rules.latency.max_ping, ping_needed, anchor->created_ms)));
      for (const auto* t : ts) {
        delays.push_back(std::max(0.0, done - valid) / 1000);  // ms
        added_us.erase(t->key);
        live.erase(t->key);
        ++out.matched;
      }
    }
    waiting_sum += static_cast<double>(m.waiting());
  }
  std::sort(delays.begin(), delays.end());
  auto pct = [&](double q) {
    return delays.empty() ? 0 : delays[std::min(delays.size() - 1, static_cast<std::size_t>(q * delays.size()))];
  };
  out.p50_ms = pct(0.50);
  out.p99_ms = pct(0.99);
  out.max_ms = delays.empty() ? 0 : delays.back();
  out.mean_waiting = loops ? waiting_sum / static_cast<double>(loops) : 0;
  return out;
}

int run(int argc, char** argv) {
  std::vector<std::size_t> sizes{10'000, 100'000, 1'000'000};
  double stream_rate = 100'000, stream_s = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--max-waiting") {
      auto max = std::stoul(argv[i + 1]);
      std::erase_if(sizes, [&](std::size_t n) { return n > max; });
    } else if (flag == "--stream-rate") {
      stream_rate = std::stod(argv[i + 1]);
    } else if (flag == "--stream-seconds") {
      stream_s = std::min(60.0, std::stod(argv[i + 1]));
    }
  }
  auto largest = sizes.empty() ? 0 : sizes.back();

  // Memory first, in a clean heap: 5v5 rules, `largest` tickets waiting.
  double bytes_per_ticket = 0;
  if (largest > 0) {
    Generator gen(1, true);
    std::vector<GenTicket> tickets;
    tickets.reserve(largest);
    for (std::size_t i = 0; i < largest; ++i) tickets.push_back(gen.next(1'700'000'000'000 + i / 100));
    auto before = resident_bytes();
    {
      QueueMatcher m(five_v_five());
      for (const auto& t : tickets)
        if (!add(m, t)) std::abort();
      auto after = resident_bytes();
      bytes_per_ticket = static_cast<double>(after - before) / static_cast<double>(largest);
      fmt::print(stderr, "memory: {} waiting 5v5 tickets hold {:.1f} MiB resident, {:.0f} bytes per ticket\n", largest,
                 static_cast<double>(after - before) / (1 << 20), bytes_per_ticket);
    }
  }

  double tps_1v1 = 0, tps_5v5 = 0;
  std::vector<std::vector<double>> groups;
  for (auto n : sizes) {
    auto a = drain(one_v_one(), false, n);
    auto b = drain(five_v_five(), true, n, n == sizes.back() ? &groups : nullptr);
    fmt::print(stderr,
               "drain {:>8} waiting: 1v1 {:>8} matched, add {:.3f} s + match {:.3f} s = {:>8.0f} tickets/s (cold "
               "{:.0f}) | 5v5 {:>8} matched, add {:.3f} s + match {:.3f} s = {:>8.0f} tickets/s (cold {:.0f})\n",
               n, a.matched, a.add_s, a.match_s, a.tps(), a.cold_tps, b.matched, b.add_s, b.match_s, b.tps(),
               b.cold_tps);
    // The figure reported is the one of the largest queue: the hardest.
    tps_1v1 = a.tps();
    tps_5v5 = b.tps();
  }
  double formed = mean_spread(groups), random = random_spread(groups);
  double spread_vs_random = random > 0 ? formed / random : 0;
  fmt::print(stderr, "5v5 skill spread: formed {:.1f}, random grouping of the same tickets {:.1f}, ratio {:.3f}\n",
             formed, random, spread_vs_random);

  auto s = stream(five_v_five(), stream_rate, stream_s);
  fmt::print(stderr,
             "5v5 stream at {:.0f} tickets/s for {:.0f} s: {} arrived, {} matched, {:.0f} waiting on average; delay "
             "from matchable to formed p50 {:.2f} ms, p99 {:.2f} ms, max {:.2f} ms\n",
             stream_rate, stream_s, s.arrived, s.matched, s.mean_waiting, s.p50_ms, s.p99_ms, s.max_ms);

  fmt::print(
      "{{\"tps_1v1\":{:.0f},\"tps_5v5\":{:.0f},\"p99_ms_5v5\":{:.2f},\"bytes_per_ticket\":{:.0f},\"spread_vs_random\":{"
      ":."
      "3f}}}\n",
      tps_1v1, tps_5v5, s.p99_ms, bytes_per_ticket, spread_vs_random);
  return 0;
}

}  // namespace
}  // namespace webgames

int main(int argc, char** argv) { return webgames::run(argc, argv); }
