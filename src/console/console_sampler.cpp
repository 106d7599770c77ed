#include "console/console_sampler.h"

#include "domain/session.h"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <cmath>

namespace webgames::console {
namespace {

std::int64_t delta(std::uint64_t now, std::uint64_t before) {
  return now >= before ? static_cast<std::int64_t>(now - before) : static_cast<std::int64_t>(now);
}

}  // namespace

ConsoleSampler::ConsoleSampler(boost::asio::strand<boost::asio::any_io_executor> strand, SamplerParts parts,
                               std::chrono::milliseconds interval, std::function<bool()> here)
    : strand_(std::move(strand)), parts_(parts), interval_(interval), here_(std::move(here)), timer_(strand_) {}

void ConsoleSampler::start() {
  boost::asio::post(strand_, [this] { schedule(); });
}

void ConsoleSampler::stop() {
  boost::asio::post(strand_, [this] {
    stopped_ = true;
    timer_.cancel();
  });
}

void ConsoleSampler::schedule() {
  if (stopped_) return;
  timer_.expires_after(interval_);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    if (!here_ || here_()) parts_.publish("overview.sample", sample_to_json(take()));
    schedule();
  });
}

Sample ConsoleSampler::take() {
  Sample sample;
  // Strictly increasing, so that every process keeps each sample once.
  sample.t = std::max(unix_seconds(parts_.clock.now()), last_t_ + 1);
  last_t_ = sample.t;
  // By game id: a game's name may have passed to another developer since
  // its sessions started (deleted, then registered again), and each
  // developer's console must count only their own game's.
  std::map<std::string, GameSample> games;
  auto game = [&](const std::string& id, const std::string& name, const std::string& owner_id) -> GameSample& {
    auto& g = games[id];
    g.game = name;
    g.owner_id = owner_id;
    return g;
  };
  parts_.lobby.each_queue([&](const Game& g, const std::string& queue, const QueueStats& stats) {
    game(g.id, g.name, g.owner_id)
        .queues.push_back(QueueGlance{queue, static_cast<std::int64_t>(stats.waiting_tickets),
                                      static_cast<double>(stats.oldest_wait.count()) / 1000.0,
                                      std::llround(stats.matches_per_minute)});
  });
  std::map<std::string, std::map<std::pair<std::string, std::string>, std::int64_t>> servers;  // by game id
  parts_.director.each_live([&](const Session& s, bool server_running) {
    auto& g = game(s.game_id, s.game, s.owner_id);
    ++g.sessions_by_state[std::string(to_string(s.state))];
    for (const auto& p : s.players) g.players_connected += p.connected ? 1 : 0;
    if (server_running) ++servers[s.game_id][{s.runtime, std::string(node_label(s.node))}];
  });
  for (auto& [id, counts] : servers)
    for (const auto& [key, n] : counts) games[id].servers.push_back(ServerCount{key.first, key.second, n});
  auto totals = parts_.metrics.totals();
  std::erase_if(previous_, [&](const auto& kv) { return !totals.contains(kv.first); });  // forgotten there
  for (auto& [id, now] : totals) {
    auto& before = previous_[id];
    std::int64_t started = delta(now.started, before.started), ended = delta(now.ended, before.ended);
    std::map<std::string, std::int64_t> failures;
    std::int64_t failed = 0;
    for (const auto& [kind, n] : now.failed) {
      auto it = before.failed.find(kind);
      auto d = delta(n, it == before.failed.end() ? 0 : it->second);
      if (d > 0) failures[kind] = d;
      failed += d;
    }
    std::vector<std::uint64_t> ttp(now.time_to_play.size());
    bool played = false;
    for (std::size_t i = 0; i < ttp.size(); ++i) {
      auto b = i < before.time_to_play.size() ? before.time_to_play[i] : 0;
      ttp[i] = static_cast<std::uint64_t>(delta(now.time_to_play[i], b));
      played = played || ttp[i] > 0;
    }
    if (started || ended || failed || played || games.contains(id)) {
      auto& g = games.contains(id) ? games[id] : game(id, now.game, now.owner_id);
      g.started = started;
      g.ended = ended;
      g.failed = failed;
      g.failures = std::move(failures);
      if (played) g.time_to_play = std::move(ttp);
    }
    before = std::move(now);
  }
  for (auto& [id, g] : games) sample.games.push_back(std::move(g));
  return sample;
}

}  // namespace webgames::console
