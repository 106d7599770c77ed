// The director's warm pools (director.h, docs/pools.md): pool servers are
// sessions marked `pooled`, started with no players; an Idle one is handed
// the next match of its game.

#include "director/director.h"

#include "domain/game_json.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <set>

namespace webgames {

namespace json = boost::json;

namespace {

bool unallocated(const Session& s) {
  return s.pooled && (s.state == SessionState::starting || s.state == SessionState::idle);
}

}  // namespace

int Director::pool_spare(const std::string& game_id) const {
  return static_cast<int>(std::count_if(live_.begin(), live_.end(), [&](const auto& kv) {
    return kv.second.session.game_id == game_id && unallocated(kv.second.session);
  }));
}

Director::Live* Director::idle_server(const std::string& game_id) {
  auto now = clock_.now();
  auto heartbeat_deadline = options_.heartbeat_interval * options_.missed_heartbeats;
  Live* best = nullptr;
  for (auto& [id, live] : live_) {
    const auto& s = live.session;
    // One whose heartbeats stopped is about to fail: never handed out.
    if (!s.pooled || s.state != SessionState::idle || s.game_id != game_id || s.runtime_id.empty() ||
        now - s.last_heartbeat > heartbeat_deadline)
      continue;
    // The longest idle first: the others stay younger than the idle timeout.
    if (best == nullptr || live.idle_since < best->idle_since) best = &live;
  }
  return best;
}

void Director::allocate(Live& live, MatchToHost& match) {
  fill_session(live, match);
  auto& s = live.session;
  s.state = SessionState::ready;
  s.ready_at = clock_.now();
  s.reason.clear();
  if (metrics_) {
    metrics_->started(s);
    metrics_->ready(s, s.ready_at - s.matched_at);
  }
  // Write-ahead: the record naming the players lands before they, or the
  // server, learn of the match. The players are told from the journal's
  // thread as soon as it has landed (tell_ready is safe off the strand): a
  // hop back to the strand first cost their session.ready a wake-up of the
  // strand's loop, milliseconds on a loaded machine. The server's long poll
  // answers from the strand just after. A server that died meanwhile fails
  // the session on the strand, whose record and session.failed come after.
  auto told = [this](const Session& saved) {
    // The pool's replacement only once the players' events are on their
    // way: its start runs on the strand (the process runtime spawns there, a
    // millisecond or more, longer on a loaded machine), which shares its
    // event loop with players' WebSockets; started before, it held the
    // session.ready of the players there behind it.
    tell_ready(saved, 0, SIZE_MAX, [strand = strand_, alive = std::weak_ptr<bool>(alive_), this] {
      boost::asio::post(strand, [alive, this] {
        if (alive.lock()) maintain_pools();
      });
    });
  };
  journal_.write(
      s,
      [this, id = s.id](bool saved) {
        auto it = live_.find(id);
        if (it == live_.end()) return;
        auto& taken = it->second;
        if (taken.session.state != SessionState::ready && taken.session.state != SessionState::running) return;
        if (!saved) {
          fail(taken, "the session could not be recorded", true);
          maintain_pools();
          return;
        }
        taken.allocated = true;
        wake_allocation(id);
        if (metrics_)
          for (const auto& t : taken.tickets) metrics_->assigned(taken.session, clock_.now() - t.created_at);
      },
      told);
}

void Director::set_pools(std::vector<Game> games) {
  std::set<std::string> kept;
  std::set<std::string> respecified;  // their idle servers run an older spec
  for (auto& game : games) {
    if (game.pool.policy == PoolPolicy::off) continue;
    kept.insert(game.id);
    auto it = pools_.find(game.id);
    if (it == pools_.end()) {
      spdlog::info("director: pool of {} started ({})", game.name, to_string(game.pool.policy));
      auto& sizer =
          pools_.emplace(game.id, Pool{game, PoolSizer(game.pool, options_.pool_start_prior)}).first->second.sizer;
      if (auto saved = sizers_saved_.extract(game.id)) {
        if (sizer.restore(saved.mapped()))
          spdlog::info("director: pool of {} goes on from what its sizer learned ({:.3f} matches/s, start p99 {} ms)",
                       game.name, sizer.matches_per_s(clock_.now()), sizer.start_p99().count());
        else
          spdlog::warn("director: pool of {}: the saved state of its sizer is unreadable; starting from the prior",
                       game.name);
      }
      continue;
    }
    auto& pool = it->second;
    if (json::serialize(game_to_json(pool.game).at("server")) != json::serialize(game_to_json(game).at("server")))
      respecified.insert(game.id);
    pool.sizer.set_spec(game.pool);
    pool.game = std::move(game);
  }
  for (auto it = pools_.begin(); it != pools_.end();) {
    if (kept.contains(it->first)) {
      ++it;
      continue;
    }
    spdlog::info("director: pool of {} stopped", it->second.game.name);
    it = pools_.erase(it);
  }
  std::vector<std::string> retired;
  for (const auto& [id, live] : live_)
    if (unallocated(live.session) &&
        (!pools_.contains(live.session.game_id) || respecified.contains(live.session.game_id)))
      retired.push_back(id);
  for (const auto& id : retired)
    if (auto it = live_.find(id); it != live_.end())
      retire(it->second, pools_.contains(it->second.session.game_id) ? "the game's server spec changed"
                                                                     : "the game's pool was stopped");
  maintain_pools();
}

void Director::maintain_pools() {
  if (stopped_ || pools_.empty()) return;
  auto now = clock_.now();
  for (auto& [game_id, pool] : pools_) {
    int spare = 0;
    std::vector<Live*> idle;
    for (auto& [id, live] : live_) {
      if (live.session.game_id != game_id || !unallocated(live.session)) continue;
      ++spare;
      if (live.session.state == SessionState::idle) idle.push_back(&live);
    }
    int target = pool.sizer.target(now);
    while (spare < target && now >= pool.next_start_at) {
      if (!start_pool_server(pool)) break;
      ++spare;
    }
    if (spare <= target) continue;
    // Surplus: the longest idle go first, once they idled past the timeout.
    std::sort(idle.begin(), idle.end(), [](const Live* a, const Live* b) { return a->idle_since < b->idle_since; });
    auto timeout = std::chrono::seconds(pool.game.pool.idle_timeout_s);
    for (auto* live : idle) {
      if (spare <= target || now - live->idle_since < timeout) break;
      retire(*live, fmt::format("the pool no longer needed it (idle for {} s)", pool.game.pool.idle_timeout_s));
      --spare;
    }
  }
}

bool Director::start_pool_server(Pool& pool) {
  auto live = new_live(pool.game);
  live.session.pooled = true;
  auto id = live.session.id;
  auto& stored = live_.emplace(id, std::move(live)).first->second;
  if (auto waits = try_launch(stored)) {
    // Not held as a match would be: the pool tries again next tick.
    if (pool.refusal != *waits) spdlog::warn("director: pool of {} cannot start a server: {}", pool.game.name, *waits);
    pool.refusal = *waits;
    live_.erase(id);
    return false;
  }
  pool.refusal.clear();
  spdlog::info("director: pool of {} starts session {}", pool.game.name, id);
  return true;
}

void Director::pool_server_failed(const std::string& game_id) {
  auto it = pools_.find(game_id);
  if (it == pools_.end()) return;
  auto& pool = it->second;
  // A server that cannot start or stay up is not started again in a tight
  // loop: 1 s after the first failure in a row, doubling up to 30 s.
  pool.failures = std::min(pool.failures + 1, 16);
  auto delay =
      std::min(std::chrono::milliseconds(500) * (1 << std::min(pool.failures, 6)), std::chrono::milliseconds(30'000));
  pool.next_start_at = clock_.now() + delay;
}

void Director::retire(Live& live, std::string reason) {
  auto& s = live.session;
  spdlog::info("director: pool server of session {} stops: {}", s.id, reason);
  s.state = SessionState::ended;
  s.reason = std::move(reason);
  s.ended_at = clock_.now();
  // Recorded first: a restart in between finds it ended and removes its server.
  journal_.write(s, [this, id = s.id](bool) {
    wake_allocation(id);
    stop_server(id);
  });
}

Result<std::optional<json::object>> Director::allocation(const std::string& session_id, std::string_view secret) {
  auto live = authorize(session_id, secret);
  if (!live) return live.error();
  const auto& s = (*live)->session;
  if (s.pooled && !(*live)->allocated) return std::optional<json::object>{};
  auto out = session_roster(s);
  out["session_id"] = s.id;
  out["game"] = s.game;
  out["queue"] = s.queue;
  out["region"] = s.region;
  return std::optional<json::object>(std::move(out));
}

std::uint64_t Director::on_allocated(const std::string& session_id, std::function<void()> wake) {
  auto n = ++next_wait_;
  allocation_waits_.emplace(n, AllocationWait{session_id, std::move(wake)});
  return n;
}

void Director::forget_allocation_wait(std::uint64_t id) { allocation_waits_.erase(id); }

void Director::wake_allocation(const std::string& session_id) {
  std::vector<std::function<void()>> wakes;
  for (auto it = allocation_waits_.begin(); it != allocation_waits_.end();) {
    if (it->second.session_id != session_id) {
      ++it;
      continue;
    }
    wakes.push_back(std::move(it->second.wake));
    it = allocation_waits_.erase(it);
  }
  for (auto& wake : wakes) wake();
}

void Director::keep_pool_sizers(PoolSizerStore* store, PoolSizerRecords saved) {
  sizer_store_ = store;
  sizers_saved_ = std::move(saved);
}

void Director::save_sizers() {
  sizers_saved_at_ = clock_.now();
  if (sizer_store_ == nullptr || (pools_.empty() && sizers_saved_.empty())) return;
  // Records of games whose pool has not started (yet) are kept as they came.
  PoolSizerRecords records = sizers_saved_;
  for (const auto& [game_id, pool] : pools_) records[game_id] = pool.sizer.learned();
  sizer_save_busy_ = true;
  boost::asio::post(sizer_saves_, [this, records = std::move(records)] {
    if (auto saved = sizer_store_->save(records); !saved)
      spdlog::warn("director: what the pools' sizers learned was not saved: {}", saved.error().message);
    sizer_save_busy_ = false;
  });
}

void Director::refresh_pools() {
  if (stopped_ || options_.pool_refresh.count() <= 0) return;
  boost::asio::post(catalog_reads_, [this, alive = std::weak_ptr<bool>(alive_)] {
    auto games = catalog_.pooled_games();
    boost::asio::post(strand_, [this, alive, games = std::move(games)]() mutable {
      if (!alive.lock() || stopped_) return;
      if (games)
        set_pools(std::move(*games));
      else
        spdlog::warn("director: cannot read the games with a pool: {}", games.error().message);
      pool_refresh_.expires_after(options_.pool_refresh);
      pool_refresh_.async_wait([this](boost::system::error_code ec) {
        if (!ec) refresh_pools();
      });
    });
  });
}

}  // namespace webgames
