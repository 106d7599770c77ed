#include "director/director.h"

#include "director/session_events.h"
#include "director/session_recovery.h"

#include "auth/jwt.h"
#include "core/encoding.h"
#include "domain/end_report.h"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace webgames {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

// The players of `tickets` that a server fault sends back to their queue:
// those of a ticket that failed too often are cancelled instead
// (Ticket::may_requeue), and their session.failed says so.
std::set<std::string> requeued_players(const std::vector<Ticket>& tickets) {
  std::set<std::string> players;
  for (const auto& t : tickets)
    if (t.may_requeue()) players.insert(t.players.begin(), t.players.end());
  return players;
}

}  // namespace

Director::Director(boost::asio::strand<boost::asio::any_io_executor> strand, Runtime& runtime, PortAllocator& ports,
                   Catalog& catalog, EventBus& events, const Clock& clock, KeyRing join_keys, DirectorOptions options)
    : strand_(std::move(strand)),
      runtime_(runtime),
      ports_(ports),
      catalog_(catalog),
      events_(events),
      clock_(clock),
      join_keys_(std::make_shared<const KeyRing>(std::move(join_keys))),
      options_(std::move(options)),
      tick_(strand_),
      pool_refresh_(strand_),
      journal_(strand_, catalog_) {
  runtime_.on_exit([this](const ServerExit& exit) { on_server_exit(exit); });
}

Director::~Director() {
  // Its reads use the catalog; what they post back checks alive_.
  catalog_reads_.stop();
  catalog_reads_.join();
  // The last save of the sizers (stop()) lands.
  sizer_saves_.join();
}

std::vector<Ticket> Director::start(std::vector<Ticket> matched) {
  auto unfinished = catalog_.unfinished_sessions();
  if (!unfinished) throw std::runtime_error("director: cannot read sessions: " + unfinished.error().message);
  // The ends an earlier run left untold, read before this run saves any:
  // a session it finds lost below is told by this run, once, with whether
  // its players were requeued (read after its save lands, it would be told
  // a second time, as not requeued).
  auto untold = catalog_.untold_sessions();
  if (!untold) throw std::runtime_error("director: cannot read sessions: " + untold.error().message);
  auto recovery = recover_sessions(runtime_, options_.sessions_dir, std::move(*unfinished), clock_.now());
  std::map<std::string, Ticket> unclaimed;
  for (auto& t : matched) unclaimed.emplace(t.id, std::move(t));
  // The tickets a session's players came with.
  auto claim = [&](const Session& s) {
    std::vector<Ticket> tickets;
    for (const auto& p : s.players)
      if (auto it = unclaimed.find(p.ticket_id); it != unclaimed.end()) {
        it->second.session_id = s.id;
        tickets.push_back(std::move(it->second));
        unclaimed.erase(it);
      }
    return tickets;
  };
  std::vector<std::string> ready;  // ids of the sessions adopted ready
  for (auto& s : recovery.adopted) {
    ports_.reserve(s.ports, s.node);
    Live live{s, {}, claim(s), {}};
    live.launch.work_dir = options_.sessions_dir / s.id / "work";
    live.idle_since = clock_.now();
    live.allocated = !s.pooled || s.state == SessionState::ready || s.state == SessionState::running;
    persist(s);  // the server's id, when it was found by its marker
    auto& adopted = live_.emplace(s.id, std::move(live)).first->second;
    reserve(adopted);
    if (adopted.allocated && adopted.session.state == SessionState::ready) ready.push_back(s.id);
  }
  // Their players may never have heard of them: the previous run's events
  // still waiting for a store that was away died with it (a replica that
  // lost the lobby's lease stops at once).
  if (!ready.empty())
    boost::asio::co_spawn(strand_, tell_ready_untold(std::move(ready), alive_), boost::asio::detached);
  for (auto& s : recovery.lost) {
    if (metrics_) metrics_->failed(s);
    auto tickets = claim(s);
    s.requeued = requeued_players(tickets);
    journal_.write(s, [this, s, tickets = std::move(tickets)](bool) mutable {
      tell_end(s);
      if (tickets_done_ && !tickets.empty()) tickets_done_(std::move(tickets), true);
    });
  }
  // A failure an earlier run saved and died before telling: the tickets the
  // lobby still holds matched to it go back to their queue now, as that run
  // would have sent them (tell_untold tells the players so).
  for (const auto& s : *untold) {
    if (s.requeued.empty()) continue;
    auto tickets = claim(s);
    if (tickets.empty()) continue;  // that run's requeue landed
    boost::asio::post(strand_, [this, alive = std::weak_ptr<bool>(alive_), tickets = std::move(tickets)]() mutable {
      if (alive.lock() && tickets_done_) tickets_done_(std::move(tickets), true);
    });
  }
  if (!untold->empty()) boost::asio::co_spawn(strand_, tell_untold(std::move(*untold), alive_), boost::asio::detached);
  schedule_tick();
  refresh_pools();
  std::vector<Ticket> rest;
  for (auto& entry : unclaimed) {
    // A plain reference, not a structured binding: clang 14 (the fuzz
    // build's) cannot capture one in the lambda below.
    Ticket& t = entry.second;
    // Saved with its match's session id before that session's record: over
    // only if the session took it and has ended since.
    if (!t.session_id.empty()) {
      auto s = catalog_.session_by_id(t.session_id);
      if (!s && s.error().code != Errc::not_found)
        throw std::runtime_error("director: cannot read session " + t.session_id + ": " + s.error().message);
      bool played = s && is_final(s->state) && std::any_of(s->players.begin(), s->players.end(), [&](const auto& p) {
                      return p.ticket_id == t.id;
                    });
      // A failure that sent the ticket's players back to the queue (told
      // so, `requeued`) did not play it, even when the requeue had not
      // landed when the previous run died (found by an audit: the ticket
      // was dropped, its players waiting for ever).
      bool sent_back = s && s->state == SessionState::failed &&
                       std::any_of(t.players.begin(), t.players.end(),
                                   [&](const std::string& p) { return s->requeued.contains(p); });
      if (!played || sent_back) t.session_id.clear();
    }
    rest.push_back(std::move(t));
  }
  return rest;
}

void Director::stop() {
  if (!stopped_) save_sizers();
  stopped_ = true;
  tick_.cancel();
  pool_refresh_.cancel();
  // Long polls answer now (the server asks again, of the next owner).
  auto waits = std::move(allocation_waits_);
  allocation_waits_.clear();
  for (auto& [n, wait] : waits) wait.wake();
}

void Director::schedule_tick() {
  if (stopped_) return;
  tick_.expires_after(options_.tick);
  tick_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    check_timeouts();
    publish_metrics();
    schedule_tick();
  });
}

void Director::persist(const Session& s) { journal_.write(s); }

void Director::tell_end(const Session& s, std::vector<std::string> players) {
  const auto& requeued = s.requeued;
  auto event = session_end_event(s, false);
  auto event_requeued = requeued.empty() ? event : session_end_event(s, true);
  std::vector<EventBus::Published> events;
  for (const auto& p : s.players)
    if (players.empty() || std::find(players.begin(), players.end(), p.id) != players.end()) {
      const auto& e = requeued.contains(p.id) ? event_requeued : event;
      events.push_back(EventBus::Published{p.id, std::string(e.type), e.data});
    }
  // Told once the bus has the events: the mark is the session's last write.
  events_.publish_all(std::move(events), [strand = strand_, alive = std::weak_ptr<bool>(alive_), this, told = s] {
    boost::asio::post(strand, [alive, this, told]() mutable {
      if (!alive.lock()) return;
      told.told = true;
      journal_.write(told);
    });
  });
}

boost::asio::awaitable<std::optional<std::vector<std::string>>> Director::players_lacking(
    std::vector<SessionPlayer> players, std::string session_id, StreamHolds holds, std::weak_ptr<bool> alive) {
  std::vector<std::string> lacking;
  for (const auto& p : players) {
    auto stream = co_await events_.replay(p.id, 0);
    if (!alive.lock()) co_return std::nullopt;
    if (!stream || !holds(*stream, session_id)) lacking.push_back(p.id);
  }
  co_return lacking;
}

boost::asio::awaitable<void> Director::tell_untold(std::vector<Session> untold, std::weak_ptr<bool> alive) {
  for (auto& s : untold) {
    // Each player whose stream does not hold the end yet: the previous run
    // may have told some or all of them before it died.
    auto lacking = co_await players_lacking(s.players, s.id, holds_session_end, alive);
    if (!lacking) co_return;
    auto players = std::move(*lacking);
    spdlog::info("director: telling the end of session {} ({}) to {} of its {} players", s.id, to_string(s.state),
                 players.size(), s.players.size());
    if (players.empty()) {
      s.told = true;
      journal_.write(s);
    } else {
      tell_end(s, std::move(players));
    }
  }
}

boost::asio::awaitable<void> Director::tell_ready_untold(std::vector<std::string> adopted, std::weak_ptr<bool> alive) {
  for (const auto& id : adopted) {
    auto live = live_.find(id);
    if (live == live_.end()) continue;
    // A copy: the stream reads below may let the session change.
    auto lacking = co_await players_lacking(live->second.session.players, id, holds_session_ready, alive);
    if (!lacking) co_return;
    auto untold = std::move(*lacking);
    live = live_.find(id);
    if (live == live_.end() || live->second.session.state != SessionState::ready || untold.empty()) continue;
    spdlog::info("director: telling session {}'s assignment to {} of its {} players", id, untold.size(),
                 live->second.session.players.size());
    std::vector<EventBus::Published> events;
    for (const auto& p : live->second.session.players)
      if (std::find(untold.begin(), untold.end(), p.id) != untold.end())
        events.push_back(EventBus::Published{p.id, "session.ready", assignment_of(live->second.session, p)});
    events_.publish_all(std::move(events));
  }
}

void Director::tell_ready(const Session& s, std::size_t first, std::size_t end, std::function<void()> sent) {
  std::vector<EventBus::Published> events;
  for (auto i = first; i < std::min(end, s.players.size()); ++i)
    events.push_back(EventBus::Published{s.players[i].id, "session.ready", assignment_of(s, s.players[i])});
  events_.publish_all(std::move(events), std::move(sent));
}

Director::Live Director::new_live(const Game& game, std::string id) const {
  Live live;
  auto& s = live.session;
  s.id = id.empty() ? new_id("ses_") : std::move(id);
  s.game_id = game.id;
  s.game = game.name;
  s.owner_id = game.owner_id;
  s.runtime = std::string(runtime_.name());
  s.max_duration_s = game.server.max_duration_s;
  s.cpu = game.server.cpu;
  s.memory_mb = game.server.memory_mb;
  live.secret = base64url_encode(random_bytes(32));
  s.sdk_secret_hash = hex_encode(sha256(live.secret));
  s.join_key_id = join_keys()->signing().key_id();
  live.launch.session_id = s.id;
  live.launch.game = s.game;
  live.launch.owner_id = s.owner_id;
  live.launch.spec = game.server;
  live.launch.work_dir = options_.sessions_dir / s.id / "work";
  live.launch.log_file = options_.sessions_dir / s.id / "server.log";
  return live;
}

void Director::fill_session(Live& live, MatchToHost& match) {
  auto now = clock_.now();
  auto& s = live.session;
  s.queue = match.queue.name;
  s.teams = static_cast<int>(match.teams.size());
  s.region = match.region;
  s.matched_at = now;
  s.queued_at = now;
  for (std::size_t t = 0; t < match.teams.size(); ++t) {
    for (auto& ticket : match.teams[t]) {
      s.queued_at = std::min(s.queued_at, ticket.created_at);
      for (const auto& player : ticket.players)
        s.players.push_back(SessionPlayer{player, match.player_names[player], static_cast<int>(t), ticket.id, false});
      ticket.session_id = s.id;
      live.tickets.push_back(std::move(ticket));
    }
  }
}

std::string Director::host(MatchToHost match) {
  auto pool = pools_.find(match.game.id);
  if (pool != pools_.end()) pool->second.sizer.on_match(clock_.now());
  if (auto* idle = idle_server(match.game.id)) {
    auto id = idle->session.id;
    spdlog::info("director: match {} -> pool server of session {} ({}/{})", match.match_id, id, match.game.name,
                 match.queue.name);
    allocate(*idle, match);  // its replacement starts once the players are told
    return id;
  }
  auto live = new_live(match.game, match.session_id);
  fill_session(live, match);
  auto& s = live.session;
  spdlog::info("director: match {} -> session {} ({} players, {}/{})", match.match_id, s.id, s.players.size(), s.game,
               s.queue);
  auto id = s.id;
  auto& stored = live_.emplace(id, std::move(live)).first->second;
  if (metrics_) metrics_->started(stored.session);
  // Writes the session first (Starting, or Allocating with why).
  if (auto waits = try_launch(stored)) hold(stored, *waits);
  if (pool != pools_.end()) maintain_pools();
  return id;
}

std::map<std::string, std::string> Director::server_env(const Live& live) const {
  const auto& s = live.session;
  std::map<std::string, std::string> env{
      {"WEBGAMES_SESSION_ID", s.id},
      {"WEBGAMES_GAME", s.game},
      {"WEBGAMES_QUEUE", s.queue},
      {"WEBGAMES_REGION", s.region},
      {"WEBGAMES_PORT", std::to_string(s.port)},
      {"WEBGAMES_SDK_URL", options_.sdk_url},
      {"WEBGAMES_SDK_SECRET", live.secret},
      {"WEBGAMES_HEARTBEAT_INTERVAL_MS", std::to_string(options_.heartbeat_interval.count())},
      {"WEBGAMES_JOIN_KEY", base64url_encode(join_key_of(s, *join_keys()).public_raw())},
      {"WEBGAMES_PLAYERS", json::serialize(session_roster(s))},
  };
  // Its players come through the SDK's allocation step (docs/server-sdk.md).
  if (s.pooled) env["WEBGAMES_POOLED"] = "1";
  for (const auto& [name, port] : s.ports) {
    std::string key = "WEBGAMES_PORT_" + name;
    for (auto& c : key) c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    env[key] = std::to_string(port);
  }
  return env;
}

void Director::hold(Live& live, const std::string& reason) {
  auto& s = live.session;
  if (s.reason == reason) return;
  s.reason = reason;
  persist(s);
  spdlog::warn("director: session {} waits: {}", s.id, s.reason);
}

void Director::reserve(Live& live) {
  auto& use = in_use_[live.session.owner_id];
  ++use.servers;
  use.cpu += live.session.cpu;
  use.memory_mb += live.session.memory_mb;
  live.reserved = true;
}

QuotaUse Director::quota_use(const std::string& developer_id) const {
  auto it = in_use_.find(developer_id);
  return it == in_use_.end() ? QuotaUse{} : it->second;
}

std::vector<Session> Director::live_sessions_of(const std::string& developer_id) const {
  std::vector<Session> out;
  for (const auto& [id, live] : live_)
    // An Ended or Failed one is in the Catalog already (its server may
    // still be stopping): the caller sums those from there.
    if (live.session.owner_id == developer_id && !is_final(live.session.state)) out.push_back(live.session);
  return out;
}

std::optional<std::string> Director::try_launch(Live& live) {
  auto& s = live.session;
  // Held, not failed, by the developer's quota or by a lack of ports: a
  // server of theirs (or any) ends sooner or later; retried every tick, until
  // options_.allocate_timeout. A session held by its developer's quota takes
  // no port from the others.
  if (auto refused = options_.quotas.server_refusal(s.owner_id, quota_use(s.owner_id), s.cpu, s.memory_mb))
    return refused->message;
  // The node first: its ports are taken there, and its players sent there.
  auto placed = runtime_.place(live.launch);
  auto ports =
      placed ? ports_.take(live.launch.spec.ports, placed->node,
                           [&](int port, Protocol protocol) { return runtime_.port_free(*placed, port, protocol); })
             : Result<std::map<std::string, int>>(placed.error());
  if (!ports) return ports.error().message;
  s.ports = *ports;
  s.port = s.ports.at(live.launch.spec.ports.front().name);
  s.node = placed->node;
  s.reason.clear();
  live.launch.placement = *placed;
  live.launch.ports = s.ports;
  live.launch.env = server_env(live);
  s.state = SessionState::starting;
  s.started_at = s.last_heartbeat = clock_.now();
  // Counted from now, before its server starts: two sessions of one
  // developer allowed in the same tick cannot both take the last place.
  reserve(live);
  // Write-ahead: the record of a session whose server is starting is durable
  // before the server starts; a restart finds the server by its marker.
  journal_.write(s, [this, id = s.id](bool saved) { launch(id, saved); });
  return std::nullopt;
}

void Director::launch(const std::string& session_id, bool saved) {
  auto it = live_.find(session_id);
  if (it == live_.end() || stopped_) return;
  auto& live = it->second;
  auto& s = live.session;
  if (s.state != SessionState::starting || !s.runtime_id.empty()) return;  // failed meanwhile
  if (!saved) {
    fail(live, "the session could not be recorded", true);
    return;
  }
  auto launched = runtime_.start(live.launch);
  if (!launched) {
    fail(live, "the server could not start: " + launched.error().message, false);
    return;
  }
  live.secret.clear();
  s.runtime_id = launched->runtime_id;
  s.host = launched->host;
  persist(s);
}

void Director::fail(Live& live, std::string reason, bool requeue) {
  auto& s = live.session;
  if (is_final(s.state)) return;
  spdlog::warn("director: session {} failed: {}", s.id, reason);
  if (s.pooled && !live.allocated) pool_server_failed(s.game_id);
  s.state = SessionState::failed;
  s.reason = std::move(reason);
  s.ended_at = clock_.now();
  if (metrics_) metrics_->failed(s);
  // A session adopted after a restart has the tickets the lobby kept (none without a journal).
  requeue = requeue && !live.tickets.empty();
  auto tickets = std::move(live.tickets);
  live.tickets.clear();
  if (requeue) s.requeued = requeued_players(tickets);
  // Recorded first, then told, then the server stopped.
  journal_.write(s, [this, failed = s, tickets = std::move(tickets), requeue](bool) mutable {
    tell_end(failed);
    if (tickets_done_ && !tickets.empty()) tickets_done_(std::move(tickets), requeue);
    wake_allocation(failed.id);
    stop_server(failed.id);
  });
}

void Director::stop_server(const std::string& session_id) {
  auto it = live_.find(session_id);
  if (it == live_.end()) return;  // its exit came first
  auto& live = it->second;
  if (live.session.runtime_id.empty())
    finish(live);  // never started, or gone already
  else
    runtime_.stop(live.session.runtime_id, options_.stop_grace);  // finish() follows the exit
}

void Director::finish(Live& live) {
  if (live.reserved) {
    auto& use = in_use_[live.session.owner_id];
    --use.servers;
    use.cpu -= live.session.cpu;
    use.memory_mb -= live.session.memory_mb;
    if (use.servers == 0) in_use_.erase(live.session.owner_id);
  }
  ports_.release(live.session.ports, live.session.node);
  std::error_code ec;
  fs::remove_all(live.launch.work_dir, ec);
  auto id = live.session.id;
  remember_gone(live.session);
  live_.erase(id);  // `live` dangles from here
  wake_allocation(id);
}

void Director::remember_gone(const Session& s) {
  if (!is_final(s.state)) return;
  auto now = clock_.now();
  while (!gone_order_.empty() && (gone_order_.size() >= kGoneKept || gone_order_.front().first + kGoneFor <= now)) {
    gone_.erase(gone_order_.front().second);
    gone_order_.pop_front();
  }
  if (!gone_.emplace(s.id, Gone{s.sdk_secret_hash, s.state}).second) return;
  gone_order_.emplace_back(now, s.id);
}

void Director::on_server_exit(const ServerExit& exit) {
  auto it = std::find_if(live_.begin(), live_.end(),
                         [&](const auto& kv) { return kv.second.session.runtime_id == exit.runtime_id; });
  if (it == live_.end()) return;
  auto& live = it->second;
  spdlog::info("director: session {} server {}", live.session.id, exit.description);
  if (!is_final(live.session.state)) {
    live.session.runtime_id.clear();  // gone: nothing to stop
    if (exit.launch_failed) {
      // As when start() itself fails: the same launch would fail again.
      fail(live, "the server could not start: " + exit.description, false);
      return;
    }
    fail(live, fmt::format("the server {} before ending the session", exit.description), true);
    return;  // fail() finished it, the server being gone
  }
  finish(live);
}

void Director::check_timeouts() {
  auto now = clock_.now();
  std::vector<std::string> ids;
  for (const auto& [id, live] : live_) ids.push_back(id);
  for (const auto& id : ids) {
    auto it = live_.find(id);
    if (it == live_.end()) continue;
    auto& live = it->second;
    auto& s = live.session;
    if (is_final(s.state)) continue;
    if (s.state == SessionState::allocating) {
      if (now - s.matched_at > options_.allocate_timeout)
        fail(live,
             fmt::format("no server could be allocated within {:.1f} s: {}", options_.allocate_timeout.count() / 1000.0,
                         s.reason),
             false);
      else if (auto waits = try_launch(live))
        hold(live, *waits);
      continue;
    }
    if (s.runtime_id.empty()) continue;  // its start is under way
    auto max_duration = std::chrono::seconds(s.max_duration_s);
    // A pool server's time limit runs from the match that took it; idling has the pool's own.
    auto since = s.pooled ? s.ready_at : s.started_at;
    auto heartbeat_deadline = options_.heartbeat_interval * options_.missed_heartbeats;
    if (s.state == SessionState::starting && now - s.started_at > options_.ready_timeout)
      fail(live, fmt::format("the server did not say ready within {:.1f} s", options_.ready_timeout.count() / 1000.0),
           true);
    else if (s.state != SessionState::starting && now - s.last_heartbeat > heartbeat_deadline)
      fail(live, fmt::format("the server missed {} heartbeats", options_.missed_heartbeats), true);
    else if (s.max_duration_s > 0 && (!s.pooled || s.ready_at != TimePoint{}) && now - since > max_duration)
      fail(live, fmt::format("the session reached its maximum duration of {} s", s.max_duration_s), false);
  }
  maintain_pools();
  if (now - sizers_saved_at_ >= options_.pool_sizer_save && !sizer_save_busy_) save_sizers();
}

Result<Director::Live*> Director::authorize(const std::string& session_id, std::string_view secret) {
  auto hash = hex_encode(sha256(secret));
  auto refusal = [&](const std::string& expected, SessionState state) -> std::optional<Error> {
    if (hash.size() != expected.size() || CRYPTO_memcmp(hash.data(), expected.data(), hash.size()) != 0)
      return make_error(Errc::forbidden, std::string(kNotThisSessionsSecret), "authorization");
    if (is_final(state))
      return make_error(Errc::conflict, fmt::format("the session is {}", to_string(state)), "session");
    return std::nullopt;
  };
  if (auto it = live_.find(session_id); it != live_.end()) {
    if (auto refused = refusal(it->second.session.sdk_secret_hash, it->second.session.state)) return *refused;
    return &it->second;
  }
  // Its server stopped lately: over (remember_gone keeps only final sessions).
  if (auto gone = gone_.find(session_id); gone != gone_.end())
    return refusal(gone->second.sdk_secret_hash, gone->second.state)
        .value_or(make_error(Errc::conflict, "the session is over", "session"));
  return make_error(Errc::not_found, "no live session with this id", "session");
}

json::object Director::assignment_of(const Session& s, const SessionPlayer& p) const {
  auto now = clock_.now();
  json::object claims{{"iss", "webgames"},
                      {"typ", "join"},
                      {"sub", p.id},
                      {"sid", s.id},
                      {"name", p.name},
                      {"team", p.team},
                      {"iat", unix_seconds(now)},
                      {"exp", unix_seconds(now + options_.join_token_ttl)}};
  json::object ports;
  for (const auto& [k, v] : s.ports) ports[k] = v;
  return json::object{{"session_id", s.id},
                      {"ticket_id", p.ticket_id},
                      {"host", s.host},
                      {"port", s.port},
                      {"ports", std::move(ports)},
                      {"region", s.region},
                      {"join_token", sign_jwt(claims, join_key_of(s, *join_keys()))}};
}

std::shared_ptr<const KeyRing> Director::join_keys() const {
  std::lock_guard lock(join_keys_mutex_);
  return join_keys_;
}

void Director::use_join_keys(KeyRing keys) {
  std::lock_guard lock(join_keys_mutex_);
  join_keys_ = std::make_shared<const KeyRing>(std::move(keys));
}

const Ed25519Key& Director::join_key_of(const Session& s, const KeyRing& keys) {
  // A session from before join_key_id was recorded, or whose key has left
  // the ring: the signing key (its server may then refuse the token).
  const auto* key = keys.find(s.join_key_id);
  return key ? *key : keys.signing();
}

Result<void> Director::server_ready(const std::string& session_id, std::string_view secret) {
  auto live = authorize(session_id, secret);
  if (!live) return live.error();
  auto& s = (*live)->session;
  if (s.state != SessionState::starting) return {};  // a repeated ready is harmless
  auto now = clock_.now();
  if (auto pool = pools_.find(s.game_id); pool != pools_.end()) {
    pool->second.sizer.on_cold_start(std::chrono::duration_cast<std::chrono::milliseconds>(now - s.started_at));
    if (s.pooled) pool->second.failures = 0;
  }
  if (s.pooled) {
    // Waits for a match (warm_pool.cpp); nobody to tell.
    s.state = SessionState::idle;
    s.last_heartbeat = now;
    (*live)->idle_since = now;
    persist(s);
    return {};
  }
  s.state = SessionState::ready;
  s.ready_at = s.last_heartbeat = clock_.now();
  if (metrics_) metrics_->ready(s, s.ready_at - s.matched_at);
  journal_.write(s, [this, id = s.id](bool) {
    auto it = live_.find(id);
    if (it == live_.end()) return;
    const auto& ready = it->second.session;
    if (ready.state != SessionState::ready && ready.state != SessionState::running) return;
    tell_ready(ready);
    if (metrics_)
      for (const auto& t : it->second.tickets) metrics_->assigned(ready, clock_.now() - t.created_at);
  });
  return {};
}

Result<void> Director::server_heartbeat(const std::string& session_id, std::string_view secret) {
  auto live = authorize(session_id, secret);
  if (!live) return live.error();
  (*live)->session.last_heartbeat = clock_.now();
  return {};
}

Result<void> Director::server_player(const std::string& session_id, std::string_view secret, const std::string& player,
                                     bool connected) {
  auto live = authorize(session_id, secret);
  if (!live) return live.error();
  auto& s = (*live)->session;
  auto it = std::find_if(s.players.begin(), s.players.end(), [&](const SessionPlayer& p) { return p.id == player; });
  if (it == s.players.end()) return make_error(Errc::not_found, "not a player of this session", "player");
  if (s.state == SessionState::starting) return make_error(Errc::conflict, "the server has not said ready", "session");
  s.last_heartbeat = clock_.now();
  if (it->connected == connected) return {};  // said again: nothing to save
  it->connected = connected;
  if (connected && s.state == SessionState::ready) s.state = SessionState::running;
  persist(s);
  return {};
}

Result<void> Director::server_end(const std::string& session_id, std::string_view secret, json::value body) {
  auto live = authorize(session_id, secret);
  if (!live) return live.error();
  auto& s = (*live)->session;
  if (s.state == SessionState::starting) return make_error(Errc::conflict, "the server has not said ready", "session");
  if (s.state == SessionState::idle) return make_error(Errc::conflict, "the server has no match yet", "session");
  auto results = end_results_text(body, s);
  if (!results) return results.error();
  s.state = SessionState::ended;
  s.ended_at = clock_.now();
  s.results = std::move(*results);
  if (metrics_) metrics_->ended(s);
  auto tickets = std::move((*live)->tickets);
  (*live)->tickets.clear();
  // The results (and the ratings) are saved, then the players told, then
  // the server stopped: a kill -9 in between loses nothing.
  journal_.write(
      s,
      [this, ended = s, tickets = std::move(tickets)](bool) mutable {
        tell_end(ended);
        if (tickets_done_ && !tickets.empty()) tickets_done_(std::move(tickets), false);
        stop_server(ended.id);
      },
      session_ended_);
  return {};
}

Result<BackfillNeed> Director::backfill_need(const std::string& session_id, std::string_view secret, int team,
                                             int players) {
  auto live = authorize(session_id, secret);
  if (!live) return live.error();
  const auto& s = (*live)->session;
  if (s.state != SessionState::ready && s.state != SessionState::running)
    return make_error(Errc::conflict, fmt::format("the session is {}", to_string(s.state)), "session");
  if (team < 0 || team >= s.teams)
    return make_error(Errc::invalid_field, fmt::format("team must be between 0 and {}", s.teams - 1), "team");
  if (players < 1 || players > 1000)
    return make_error(Errc::invalid_field, "players must be between 1 and 1000", "players");
  // Those it said are connected: one who left is gone, and one on the way is
  // not counted beside the players asked for.
  auto in_team = std::count_if(s.players.begin(), s.players.end(),
                               [&](const SessionPlayer& p) { return p.team == team && p.connected; });
  return BackfillNeed{
      s.id, s.game_id, s.game, s.queue, s.region, team, players, static_cast<int>(in_team), (*live)->tickets};
}

bool Director::add_players(const std::string& session_id, int team, std::vector<Ticket> tickets,
                           const std::map<std::string, std::string>& player_names) {
  auto it = live_.find(session_id);
  if (it == live_.end()) return false;
  auto& live = it->second;
  auto& s = live.session;
  if (s.state != SessionState::ready && s.state != SessionState::running) return false;
  std::size_t first = s.players.size();
  for (auto& ticket : tickets) {
    for (const auto& player : ticket.players) {
      auto name = player_names.find(player);
      s.players.push_back(
          SessionPlayer{player, name == player_names.end() ? player : name->second, team, ticket.id, false});
    }
    ticket.session_id = s.id;
    live.tickets.push_back(std::move(ticket));
  }
  spdlog::info("director: session {} backfilled with {} players in team {}", s.id, s.players.size() - first, team);
  // They are told once the record naming them has landed (found by an
  // audit): a kill before it, and the restart would requeue their tickets
  // while they hold a join token to this session.
  // Only this batch: a later backfill's players, added before this write
  // landed, are told by their own write.
  journal_.write(s, [this, id = s.id, first, end = s.players.size()](bool saved_ok) {
    auto it = live_.find(id);
    if (it == live_.end() || !saved_ok) return;
    const auto& saved = it->second.session;
    if (saved.state == SessionState::ready || saved.state == SessionState::running) tell_ready(saved, first, end);
  });
  if (metrics_)
    for (auto t = live.tickets.end() - static_cast<std::ptrdiff_t>(tickets.size()); t != live.tickets.end(); ++t)
      metrics_->assigned(s, clock_.now() - t->created_at);
  return true;
}

Result<Session> Director::live_session(const std::string& session_id) const {
  auto it = live_.find(session_id);
  if (it == live_.end()) return make_error(Errc::not_found, "no live session with this id", "session");
  return it->second.session;
}

Result<json::object> Director::assignment(const std::string& session_id, const std::string& player) const {
  auto it = live_.find(session_id);
  if (it == live_.end()) return make_error(Errc::not_found, "no live session with this id", "session");
  const auto& s = it->second.session;
  auto p = std::find_if(s.players.begin(), s.players.end(), [&](const SessionPlayer& sp) { return sp.id == player; });
  if (p == s.players.end()) return make_error(Errc::not_found, "no live session with this id", "session");
  if (s.state != SessionState::ready && s.state != SessionState::running)
    return make_error(Errc::conflict, fmt::format("the session is {}", to_string(s.state)), "session");
  return assignment_of(s, *p);
}

void Director::publish_metrics() {
  if (metrics_ == nullptr) return;
  std::vector<std::pair<std::string_view, std::int64_t>> by_state;
  for (auto state : {SessionState::allocating, SessionState::starting, SessionState::idle, SessionState::ready,
                     SessionState::running, SessionState::ended, SessionState::failed})
    by_state.emplace_back(to_string(state), 0);
  std::map<std::pair<std::string, std::string>, std::int64_t> servers;
  for (const auto& [id, live] : live_) {
    ++by_state[static_cast<std::size_t>(live.session.state)].second;
    if (live.reserved) ++servers[{live.session.runtime, std::string(node_label(live.session.node))}];
  }
  std::map<std::string, std::int64_t> ports{{std::string(node_label({})), 0}};
  for (const auto& [node, used] : ports_.in_use_by_node())
    ports[std::string(node_label(node))] = static_cast<std::int64_t>(used);
  metrics_->set_sessions(by_state);
  metrics_->set_servers(servers);
  metrics_->set_ports(ports, static_cast<std::int64_t>(ports_.range_size()));
}

}  // namespace webgames
