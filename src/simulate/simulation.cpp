#include "simulate/simulation.h"

#include "matchmaker/queue_matcher.h"
#include "pools/pool_sizer.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <functional>
#include <queue>
#include <random>
#include <stdexcept>
#include <unordered_map>

namespace webgames::simulate {
namespace {

// A free-for-all queue of `players` one-player teams with no other rule:
// what the pool sees depends on how many players a match takes, not on
// who they are.
QueueSpec simulated_queue(int players) {
  Game game;
  game.name = "simulated";
  game.server.command = "/bin/true";
  game.server.ports.push_back(PortSpec{"game", Protocol::tcp});
  QueueSpec queue;
  queue.name = "all";
  queue.teams = players;
  queue.team_size = 1;
  game.queues.push_back(queue);
  if (auto r = validate_game(game); !r) throw std::invalid_argument(r.error().message);
  return game.queues.front();
}

double percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  auto nth = values.begin() + static_cast<std::ptrdiff_t>(std::max<std::size_t>(rank, 1) - 1);
  std::nth_element(values.begin(), nth, values.end());
  return *nth;
}

enum class EventKind { pool_server_ready, session_server_ready, session_end, lobby_tick, pool_tick };

struct Event {
  double at;
  EventKind kind;
  double latency_s = 0;  // for ..._ready: how long its start took
  bool operator>(const Event& other) const { return at > other.at; }
};

class Simulation {
 public:
  Simulation(const DemandCurve& demand, const SimulationOptions& options)
      : demand_(demand),
        options_(options),
        matcher_(simulated_queue(options.players_per_match)),
        sizer_(options.pool, to_ms(median_latency(options.start_latencies_ms))),
        arrivals_(options.seed),
        lengths_(options.seed ^ 0x9e3779b97f4a7c15ULL),
        latencies_(options.seed ^ 0xbf58476d1ce4e5b9ULL),
        pick_latency_(0, options.start_latencies_ms.size() - 1),
        session_length_(1.0 / options.session_mean_s) {}

  SimulationResult run() {
    const double end = demand_.end_s();
    peak_rate_ = demand_.max_rate();
    next_arrival_ = draw_arrival(demand_.points().front().seconds);
    now_ = demand_.points().front().seconds;
    push({now_, EventKind::lobby_tick});
    push({now_, EventKind::pool_tick});
    // Events after the end of the demand still run: sessions end, the pool
    // empties. Ticks stop at the end of the curve.
    while (!events_.empty() || next_arrival_ <= end) {
      if (next_arrival_ <= end && (events_.empty() || next_arrival_ <= events_.top().at)) {
        advance(next_arrival_);
        arrive();
        next_arrival_ = draw_arrival(next_arrival_);
        continue;
      }
      Event e = events_.top();
      events_.pop();
      advance(e.at);
      handle(e, end);
    }
    result_.idle_ratio = result_.served_server_s > 0 ? result_.idle_server_s / result_.served_server_s : 0;
    result_.ttp_p50_ms = percentile(ttp_ms_, 50);
    result_.ttp_p99_ms = percentile(ttp_ms_, 99);
    result_.match_wait_p99_ms = percentile(waits_ms_, 99);
    result_.simulated_s = now_ - demand_.points().front().seconds;
    return result_;
  }

 private:
  static std::chrono::milliseconds to_ms(double ms) { return std::chrono::milliseconds{std::llround(ms)}; }
  static double median_latency(std::vector<double> samples) { return percentile(samples, 50); }

  TimePoint at(double seconds) const { return kEpoch + to_ms(seconds * 1000); }
  void push(Event e) { events_.push(e); }

  // Server-seconds accrue between events at the counts in force.
  void advance(double t) {
    const double dt = t - now_;
    if (dt > 0) {
      result_.served_server_s += dt * serving_;
      result_.idle_server_s += dt * (pool_starting_ + static_cast<double>(ready_.size()));
    }
    now_ = std::max(now_, t);
  }

  void count_peak() {
    const int running = serving_ + pool_starting_ + static_cast<int>(ready_.size());
    result_.peak_servers = std::max(result_.peak_servers, running);
  }

  // The next arrival after `t` of a Poisson process whose rate follows the
  // curve: candidates at the peak rate, each kept with probability
  // rate(t) / peak (thinning).
  double draw_arrival(double t) {
    if (peak_rate_ <= 0) return std::numeric_limits<double>::infinity();
    std::exponential_distribution<double> gap(peak_rate_);
    std::uniform_real_distribution<double> keep(0, peak_rate_);
    for (;;) {
      t += gap(arrivals_);
      if (t > demand_.end_s()) return std::numeric_limits<double>::infinity();
      if (keep(arrivals_) < demand_.rate_at(t)) return t;
    }
  }

  void arrive() {
    ++result_.players;
    const TicketKey key = next_key_++;
    created_[key] = now_;
    MatchTicket ticket;
    ticket.key = key;
    ticket.created_at = at(now_);
    if (auto r = matcher_.add(ticket); !r) throw std::runtime_error(r.error().message);
    match();  // as the lobby does on every new ticket
  }

  void match() {
    for (auto& formed : matcher_.match(at(now_)).matches) {
      for (const auto& team : formed.teams) {
        for (TicketKey key : team) {
          waits_ms_.push_back((now_ - created_[key]) * 1000);
          created_.erase(key);
        }
      }
      host();
    }
  }

  // A match needs a server: the longest-ready one of the pool, or a cold start.
  void host() {
    ++result_.matches;
    sizer_.on_match(at(now_));
    ++serving_;
    if (!ready_.empty()) {
      ready_.pop_front();
      ttp_ms_.push_back(0);
      push({now_ + session_length_(lengths_), EventKind::session_end});
      return;
    }
    ++result_.cold_starts;
    const double latency = draw_latency();
    const double ready_at = engine_slot() + latency;
    ttp_ms_.push_back((ready_at - now_) * 1000);
    push({ready_at, EventKind::session_server_ready, latency});
    count_peak();
  }

  double draw_latency() { return options_.start_latencies_ms[pick_latency_(latencies_)] / 1000; }

  // When the engine can begin another start: at once, or after the last
  // one it began when it begins only max_starts_per_s.
  double engine_slot() {
    if (options_.max_starts_per_s <= 0) return now_;
    last_start_ = std::max(now_, last_start_ + 1 / options_.max_starts_per_s);
    return last_start_;
  }

  void handle(const Event& e, double end) {
    switch (e.kind) {
      case EventKind::pool_server_ready:
        sizer_.on_cold_start(to_ms(e.latency_s * 1000));
        --pool_starting_;
        ready_.push_back(now_);
        return;
      case EventKind::session_server_ready:
        sizer_.on_cold_start(to_ms(e.latency_s * 1000));
        push({now_ + session_length_(lengths_), EventKind::session_end});
        return;
      case EventKind::session_end:
        --serving_;
        return;
      case EventKind::lobby_tick:
        match();
        if (now_ + tick_s(options_.lobby_tick) <= end)
          push({now_ + tick_s(options_.lobby_tick), EventKind::lobby_tick});
        return;
      case EventKind::pool_tick:
        resize_pool(now_ <= end);
        if (pool_starting_ + !ready_.empty() > 0 || now_ + tick_s(options_.pool_tick) <= end)
          push({now_ + tick_s(options_.pool_tick), EventKind::pool_tick});
        return;
    }
  }

  static double tick_s(std::chrono::milliseconds tick) { return std::chrono::duration<double>(tick).count(); }

  // Starts what the sizer asks for; stops ready servers beyond it that idled
  // past the idle timeout, longest idle first. After the demand's end the
  // pool only drains.
  void resize_pool(bool demand_left) {
    const int target = demand_left ? sizer_.target(at(now_)) : 0;
    const int unallocated = pool_starting_ + static_cast<int>(ready_.size());
    for (int i = unallocated; i < target; ++i) {
      const double latency = draw_latency();
      ++pool_starting_;
      push({engine_slot() + latency, EventKind::pool_server_ready, latency});
    }
    count_peak();
    int surplus = unallocated - target;
    const double idle_limit = demand_left ? options_.pool.idle_timeout_s : 0;
    while (surplus > 0 && !ready_.empty() && now_ - ready_.front() >= idle_limit) {
      ready_.pop_front();
      --surplus;
    }
  }

  static constexpr TimePoint kEpoch{std::chrono::seconds{1'700'000'000}};

  const DemandCurve& demand_;
  const SimulationOptions& options_;
  QueueMatcher matcher_;
  PoolSizer sizer_;
  // One stream per kind of draw, so that every policy run with a seed meets
  // the same players, sessions and starts (common random numbers): their
  // differences are the policies', not the dice's.
  std::mt19937_64 arrivals_;
  std::mt19937_64 lengths_;
  std::mt19937_64 latencies_;
  std::uniform_int_distribution<std::size_t> pick_latency_;
  std::exponential_distribution<double> session_length_;
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events_;
  double now_ = 0;
  double next_arrival_ = 0;
  double peak_rate_ = 0;
  double last_start_ = -1e18;
  TicketKey next_key_ = 1;
  std::unordered_map<TicketKey, double> created_;  // waiting tickets' arrival
  std::deque<double> ready_;                       // ready pool servers, by when they became ready
  int pool_starting_ = 0;
  int serving_ = 0;
  std::vector<double> ttp_ms_;
  std::vector<double> waits_ms_;
  SimulationResult result_;
};

}  // namespace

SimulationResult run_simulation(const DemandCurve& demand, const SimulationOptions& options) {
  if (options.start_latencies_ms.empty()) throw std::invalid_argument("no start latency to draw from");
  return Simulation(demand, options).run();
}

}  // namespace webgames::simulate
