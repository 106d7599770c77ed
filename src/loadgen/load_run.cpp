#include "loadgen/load_run.h"

#include "core/encoding.h"
#include "play/async_player_api.h"
#include "play/events_connection.h"
#include "play/move_source.h"
#include "play/shifumi_client.h"
#include "play/ticket_tracker.h"

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/error.hpp>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <random>
#include <thread>

namespace webgames::loadgen {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::awaitable;
using Clock = LoadStats::Clock;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

constexpr auto kToldGrace = 10s;       // after a cancel or a match deadline, for the stream to tell
constexpr auto kSilenceLimit = 30s;    // a game server silent this long is gone
constexpr auto kSessionEndWait = 30s;  // after the game, for session.ended (or failed: missed heartbeats)
constexpr auto kRetryPause = 1s;       // after a refused ticket
// After a drop: 0.5, 1, 2, 4, 4 s apart (about 11 s, as long as the C++ SDK
// tries its reports): longer than Redis restarting plus a takeover.
constexpr int kEventsReopenAttempts = 5;
constexpr std::chrono::milliseconds kEventsReopenPauseMax = 4s;
// Parties start spread over a quarter of the duration, 1 to 20 ms apart: a
// thousand logins at once would only measure the login route.
constexpr auto kMinSpread = 1ms;
constexpr auto kMaxSpread = 20ms;
constexpr auto kCloseTimeout = 1s;

awaitable<void> sleep_until(Clock::time_point t) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_at(t);
  co_await timer.async_wait(kNoThrow);
}

// A host a simulated player may connect to: the API server's, or loopback.
bool allowed_game_host(const std::string& host, const std::string& api_host) {
  if (host == api_host || host == "localhost") return true;
  beast::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  return !ec && address.is_loopback();
}

// Tickets are created at most `rate` per second, all parties together;
// slots do not pile up while every party is busy.
class Pacer {
 public:
  Pacer(double rate, Clock::time_point end)
      : gap_(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / rate))), end_(end) {}

  // When the next ticket may be created; empty once the run's time is up.
  std::optional<Clock::time_point> next() {
    std::lock_guard lock(mutex_);
    auto slot = std::max(Clock::now(), next_);
    if (slot >= end_) return std::nullopt;
    next_ = slot + gap_;
    return slot;
  }

 private:
  std::mutex mutex_;
  Clock::duration gap_;
  Clock::time_point end_;
  Clock::time_point next_{};
};

// What every party shares.
struct Run {
  LoadOptions options;
  LoadStats stats;
  Pacer pacer;
  Clock::time_point end;  // no ticket after this
  std::string run_id;     // in every device id: each run's guests are new
  std::atomic<int> live_parties{0};
  std::function<void()> on_last_party;  // called (from a party's strand) when live_parties drops to 0

  Run(LoadOptions o, Clock::time_point start)
      : options(std::move(o)),
        stats(start),
        pacer(options.rate, start + options.duration),
        end(start + options.duration),
        run_id(new_id("")) {}
};

struct Player {
  Player(asio::any_io_executor executor, const Run& run, int index)
      : executor(executor),
        api(executor, run.options.server, fmt::format("lg-{}-{}", run.run_id.substr(0, 12), index)) {}
  asio::any_io_executor executor;
  play::AsyncPlayerApi api;
  std::string id;
  std::shared_ptr<play::EventsConnection> events;
  std::optional<std::int64_t> last_event;
  bool online = false;
};

// One ticket of a party, followed by each of its players.
struct Round {
  explicit Round(asio::any_io_executor executor) : done(std::move(executor)) {}
  std::string ticket_id;
  Clock::time_point created;
  Clock::time_point match_deadline;  // not matched by then: cancelled
  bool matched = false;
  bool cancelled_by_us = false;
  std::optional<TicketEnd> end;  // as first told
  int pending = 0;               // players still following it
  asio::steady_timer done;       // cancelled when pending drops to 0
};

class Party : public std::enable_shared_from_this<Party> {
 public:
  Party(Run& run, asio::any_io_executor strand, std::vector<std::shared_ptr<Player>> players, std::uint64_t seed)
      : run_(run), strand_(std::move(strand)), players_(std::move(players)), rng_(seed) {}

  // `self` keeps the party alive until the run ends (co_spawn starts it later).
  awaitable<void> run([[maybe_unused]] std::shared_ptr<Party> self, Clock::time_point start_at) {
    co_await sleep_until(start_at);
    bool ready = co_await set_up();
    if (ready) co_await queue_and_play();
    co_await tear_down();
  }

 private:
  // Logs every player in and opens their events streams; forms the party.
  awaitable<bool> set_up() {
    for (auto& p : players_) {
      if (!p->online) {
        auto account = co_await p->api.login();
        if (!account) {
          error("login", account.error());
          co_return false;
        }
        p->id = account->id;
        if (auto opened = co_await open_events(*p); !opened) {
          error("events_connect", opened.error());
          co_return false;
        }
        p->online = true;
        run_.stats.player_online(1);
      }
    }
    if (players_.size() == 1) co_return true;
    auto create = play::create_party_call();
    auto created = co_await p_call(*players_[0], create);
    auto party = created ? play::read_party(*created) : Result<play::PartyInfo>(created.error());
    if (!party) {
      error("party", party.error());
      co_return false;
    }
    party_id_ = party->id;
    for (std::size_t i = 1; i < players_.size(); ++i) {
      auto join = play::join_party_call(party->code);
      auto joined = co_await p_call(*players_[i], join);
      auto r = joined ? play::read_party(*joined) : Result<play::PartyInfo>(joined.error());
      if (!r) {
        error("party", r.error());
        co_return false;
      }
    }
    co_return true;
  }

  awaitable<Result<std::optional<play::Event>>> next_event(Player& p, Clock::time_point deadline) {
    for (;;) {
      if (!p.events) co_return make_error(Errc::unavailable, "no events stream");
      if (auto e = p.events->take_event()) {
        if (!*e) {
          run_.stats.error("malformed_event");
          continue;
        }
        if (p.last_event && (*e)->id <= *p.last_event) continue;  // replayed after a reopen
        p.last_event = (*e)->id;
        co_return std::optional<play::Event>(std::move(**e));
      }
      if (p.events->failure()) {
        run_.stats.note("events_reopened");
        if (auto reopened = co_await reopen_events(p); !reopened) co_return reopened.error();
        continue;
      }
      if (Clock::now() >= deadline) co_return std::optional<play::Event>();
      co_await p.events->wait(deadline);
    }
  }

  awaitable<Result<void>> open_events(Player& p) {
    tcp::resolver resolver(p.executor);
    const auto& server = run_.options.server;
    auto [ec, endpoints] = co_await resolver.async_resolve(server.host, server.port, kNoThrow);
    if (ec) co_return make_error(Errc::unavailable, fmt::format("cannot resolve {}: {}", server.host, ec.message()));
    for (int attempt = 0; attempt < 2; ++attempt) {
      auto c = std::make_shared<play::EventsConnection>(p.executor);
      auto host = fmt::format("{}:{}", server.host, server.port);
      auto target = play::events_target(p.api.access_token(), p.last_event);
      auto opened = co_await c->open(endpoints, host, target, "webgames-loadgen");
      if (!opened) {
        p.events = std::move(c);
        co_return Result<void>();
      }
      if (opened == beast::websocket::error::upgrade_declined && c->response().result_int() == 401 && attempt == 0) {
        if (auto again = co_await p.api.login(); again) continue;  // the token expired
      }
      co_return make_error(Errc::unavailable, fmt::format("cannot open the events stream: {}", opened.message()));
    }
    co_return make_error(Errc::unavailable, "cannot open the events stream: token refused");
  }

  awaitable<Result<void>> reopen_events(Player& p) {
    p.events.reset();
    auto pause = std::chrono::milliseconds(500);
    Result<void> last = make_error(Errc::unavailable, "events stream lost");
    for (int attempt = 0; attempt < kEventsReopenAttempts;
         ++attempt, pause = std::min(pause * 2, kEventsReopenPauseMax)) {
      co_await sleep_until(Clock::now() + pause);
      last = co_await open_events(p);
      if (last) co_return last;
    }
    co_return last;
  }

  // Sends with the player's token.
  awaitable<Result<ctl::HttpResult>> p_call(Player& p, const play::ApiCall& c) { co_return co_await p.api.send(c); }

  // A call answered with no content. (No co_await inside a conditional
  // expression: GCC 12 destroys its temporaries twice.)
  awaitable<Result<void>> call_no_content(Player& p, const Result<play::ApiCall>& c) {
    if (!c) co_return c.error();
    auto response = co_await p_call(p, *c);
    if (!response) co_return response.error();
    co_return play::read_no_content(*response);
  }

  awaitable<void> queue_and_play() {
    const auto& o = run_.options;
    auto& leader = *players_[0];
    // One key per ticket, kept across retries: a request whose answer was
    // lost (a replica killed while it forwarded it) is not a second ticket.
    std::string key;
    for (;;) {
      auto slot = run_.pacer.next();
      if (!slot) co_return;
      co_await sleep_until(*slot);
      auto c = play::create_ticket_call(o.game, o.queue);
      if (!c) {
        error("ticket_create", c.error());
        co_return;
      }
      if (key.empty()) key = new_id("req_");
      c->idempotency_key = key;
      auto created_at = Clock::now();
      auto response = co_await p_call(leader, *c);
      auto ticket = response ? play::read_ticket_created(*response) : Result<std::string>(response.error());
      if (!ticket) {
        if (players_.size() > 1 && ticket.error().field == "party" && ticket.error().code == Errc::invalid_field) {
          // The queue takes no party this large: its players go on alone.
          run_.stats.note(fmt::format("party_of_{}_refused", players_.size()));
          split_ = true;
          co_return;
        }
        bool retry_same = !response || response->status >= 500;
        if (!retry_same) key.clear();
        if (response && (response->status == 503 || response->status == 502))
          // Retry later with the same key (a cluster between two owners of
          // the lobby, or an owner that died with the request): what a
          // client should do, so a note, not an error.
          run_.stats.note(fmt::format("ticket_create_retried_{}", response->status));
        else
          error(response && response->status == 429 ? "rate_limited" : "ticket_create", ticket.error());
        co_await sleep_until(Clock::now() + kRetryPause);
        continue;
      }
      key.clear();
      run_.stats.ticket_created();
      co_await follow_round(*ticket, created_at);
    }
  }

  awaitable<void> follow_round(const std::string& ticket_id, Clock::time_point created_at) {
    const auto& o = run_.options;
    auto round = std::make_shared<Round>(strand_);
    round->ticket_id = ticket_id;
    round->created = created_at;
    round->match_deadline = std::min(created_at + o.match_timeout, std::max(run_.end, Clock::now()));
    round->pending = static_cast<int>(players_.size());
    for (auto& p : players_) {
      asio::co_spawn(strand_, follow(p, round), [round](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);  // a bug: end the run loudly
        if (--round->pending == 0) round->done.cancel();
      });
    }
    co_await wait_round(*round, round->match_deadline);
    if (round->pending > 0 && !round->matched && !round->end) {
      // Set first: the ticket.cancelled event may come before the answer.
      round->cancelled_by_us = true;
      auto cancel = play::cancel_ticket_call(round->ticket_id);
      auto cancelled = co_await call_no_content(*players_[0], cancel);
      if (!cancelled) {
        round->cancelled_by_us = false;
        if (cancelled.error().code != Errc::conflict) error("ticket_cancel", cancelled.error());  // conflict: matched
      }
    }
    // Every player's wait is bounded; this only waits for the last of them.
    co_await wait_round(*round, Clock::time_point::max());
  }

  awaitable<void> wait_round(Round& round, Clock::time_point until) {
    while (round.pending > 0 && Clock::now() < until) {
      round.done.expires_at(until);
      co_await round.done.async_wait(kNoThrow);
    }
  }

  // One player's side of a round: told of the ticket's fate, then playing.
  awaitable<void> follow(std::shared_ptr<Player> p, std::shared_ptr<Round> round) {
    auto self = shared_from_this();
    const auto& o = run_.options;
    play::TicketTracker tracker(round->ticket_id, o.server.host);
    bool told = false;
    run_.stats.waiting(1);
    std::optional<play::SessionReady> ready;
    auto deadline = [&] {
      return (round->matched ? round->created + o.game_timeout : round->match_deadline) + kToldGrace;
    };
    while (!ready) {
      auto event = co_await next_event(*p, deadline());
      if (!event) {
        error("events_lost", event.error());
        break;
      }
      if (!*event) {
        if (!round->matched)
          error("no_match_news", make_error(Errc::unavailable, "the ticket's end was never told"));
        else
          error("no_session_news", make_error(Errc::unavailable, "matched, but no session.ready in time"));
        break;
      }
      const auto& e = **event;
      if (const auto* m = std::get_if<play::TicketMatched>(&e.data); m && m->ticket_id == tracker.ticket_id()) {
        told = true;
        round->matched = true;
        end_round(*round, TicketEnd::matched);
      }
      if (const auto* c = std::get_if<play::TicketClosed>(&e.data); c && c->ticket_id == tracker.ticket_id()) {
        told = true;
        end_round(*round, c->expired ? TicketEnd::expired : TicketEnd::cancelled);
        if (!c->expired && !round->cancelled_by_us) run_.stats.note("cancelled_by_server");
      }
      auto update = tracker.on_event(e);
      if (update.step == play::TicketTracker::Step::ready) ready = tracker.session();
      if (update.step == play::TicketTracker::Step::requeued) {
        run_.stats.note("session_failed_requeued");
        round->ticket_id = tracker.ticket_id();
        round->matched = false;
      }
      if (update.step == play::TicketTracker::Step::failed) {
        if (!std::holds_alternative<play::TicketClosed>(e.data))
          error("session_failed", make_error(Errc::unavailable, update.message));
        break;
      }
    }
    run_.stats.player_told(told);
    run_.stats.waiting(-1);
    if (ready) co_await play_game(*p, *ready, tracker, round->created);
  }

  void end_round(Round& round, TicketEnd end) {
    if (round.end) return;
    round.end = end;
    run_.stats.ticket_ended(end);
  }

  awaitable<void> play_game(Player& p, const play::SessionReady& ready, play::TicketTracker& tracker,
                            Clock::time_point created) {
    const auto& o = run_.options;
    auto ready_at = Clock::now();
    if (!allowed_game_host(ready.host, o.server.host)) {
      error("foreign_game_host", make_error(Errc::forbidden,
                                            "session.ready names a host that is neither loopback nor "
                                            "the API server's: " +
                                                ready.host));
      run_.stats.ttp_ready_only(ready_at - created);
      co_return;
    }
    run_.stats.playing(1);
    std::optional<Clock::time_point> connected_at;
    auto game_deadline = Clock::now() + o.game_timeout;
    if (o.protocol == GameProtocol::shifumi) {
      auto game = std::make_shared<play::ShifumiGame>(p.executor);
      asio::steady_timer guard(p.executor);
      guard.expires_at(game_deadline);
      guard.async_wait([game](beast::error_code ec) {
        if (!ec) game->abort();
      });
      play::RandomMoves moves(rng_());
      std::ostream discard(nullptr);
      // Named, not temporaries in the co_await: GCC 12 destroys such coroutine arguments twice.
      play::GameServer server{ready.host, ready.port, ready.join_token};
      std::function<void()> on_connected = [&] { connected_at = Clock::now(); };
      auto outcome = co_await game->play(server, moves, discard, kSilenceLimit, on_connected);
      guard.cancel();
      if (outcome)
        run_.stats.game_over(ready.session_id);
      else
        error(!connected_at                             ? "game_connect"
              : outcome.error().code == Errc::forbidden ? "game_refused"
                                                        : "game_lost",
              outcome.error());
      co_await wait_session_end(p, tracker, Clock::now() + kSessionEndWait, "no_session_end");
    } else {
      co_await connect_and_wait(p, ready, tracker, game_deadline, connected_at);
    }
    run_.stats.playing(-1);
    if (connected_at)
      run_.stats.ttp(ready_at - created, *connected_at - created);
    else
      run_.stats.ttp_ready_only(ready_at - created);
  }

  // Follows the player's stream until the session ends (true), fails or
  // `deadline` passes (an error of kind `late`). The player holds the
  // ticket until then: queueing again before would be refused.
  awaitable<bool> wait_session_end(Player& p, play::TicketTracker& tracker, Clock::time_point deadline,
                                   const char* late) {
    for (;;) {
      auto event = co_await next_event(p, deadline);
      if (!event) {
        error("events_lost", event.error());
        co_return false;
      }
      if (!*event) {
        error(late, make_error(Errc::unavailable, "the session's end was not told in time"));
        co_return false;
      }
      auto update = tracker.on_event(**event);
      if (update.step == play::TicketTracker::Step::ended) co_return true;
      if (update.step == play::TicketTracker::Step::failed || update.step == play::TicketTracker::Step::requeued) {
        error("session_failed", make_error(Errc::unavailable, update.message));
        co_return false;
      }
    }
  }

  // For a game this client does not speak: holds a connection until the
  // session ends (or fails, or the game timeout passes).
  awaitable<void> connect_and_wait(Player& p, const play::SessionReady& ready, play::TicketTracker& tracker,
                                   Clock::time_point deadline, std::optional<Clock::time_point>& connected_at) {
    tcp::resolver resolver(p.executor);
    auto port = std::to_string(ready.port);
    auto [rec, endpoints] = co_await resolver.async_resolve(ready.host, port, kNoThrow);
    beast::tcp_stream stream(p.executor);
    stream.expires_after(10s);
    beast::error_code cec = rec;
    if (!rec) std::tie(cec, std::ignore) = co_await stream.async_connect(endpoints, kNoThrow);
    if (cec) {
      error("game_connect", make_error(Errc::unavailable, cec.message()));
      co_return;
    }
    connected_at = Clock::now();
    if (co_await wait_session_end(p, tracker, deadline, "game_timeout")) run_.stats.game_over(ready.session_id);
    beast::error_code ignored;
    stream.socket().close(ignored);
  }

  // Leaves the party (its leader's leaving disbands it) and closes the
  // streams; or, when the queue refused the party's size, hands its players
  // on as parties of one.
  awaitable<void> tear_down() {
    if (!party_id_.empty()) {
      for (std::size_t i = players_.size(); i-- > 0;) {
        auto leave = play::leave_party_call(party_id_);
        auto left = co_await call_no_content(*players_[i], leave);
        // not_found: the leader left first and the party is gone.
        if (!left && left.error().code != Errc::not_found) error("party", left.error());
      }
    }
    if (split_) {
      for (auto& p : players_) spawn(run_, strand_, {p}, rng_(), Clock::now());
      co_return;
    }
    for (auto& p : players_) {
      if (p->events) co_await p->events->close(kCloseTimeout);
      p->api.close();
      if (p->online) run_.stats.player_online(-1);
      p->online = false;
    }
  }

  void error(const std::string& kind, const Error& e) {
    run_.stats.error(kind);
    if (errors_logged_++ < 1) std::fprintf(stderr, "loadgen: %s: %s\n", kind.c_str(), e.message.c_str());
  }

 public:
  // Starts a party of `players` on `strand` at `start_at`.
  static void spawn(Run& run, asio::any_io_executor strand, std::vector<std::shared_ptr<Player>> players,
                    std::uint64_t seed, Clock::time_point start_at) {
    run.live_parties.fetch_add(1);
    auto party = std::make_shared<Party>(run, strand, std::move(players), seed);
    asio::co_spawn(strand, party->run(party, start_at), [&run](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
      if (run.live_parties.fetch_sub(1) == 1 && run.on_last_party) run.on_last_party();
    });
  }

 private:
  Run& run_;
  asio::any_io_executor strand_;
  std::vector<std::shared_ptr<Player>> players_;
  std::mt19937_64 rng_;
  std::string party_id_;
  bool split_ = false;
  int errors_logged_ = 0;
};

// Party sizes drawn from the mix until `players` are placed (the last party may be smaller).
std::vector<int> party_sizes(const std::vector<PartyShare>& mix, int players, std::mt19937_64& rng) {
  std::vector<int> weights;
  for (const auto& s : mix) weights.push_back(s.weight);
  std::discrete_distribution<std::size_t> pick(weights.begin(), weights.end());
  std::vector<int> sizes;
  for (int left = players; left > 0;) {
    int size = std::min(mix[pick(rng)].size, left);
    sizes.push_back(size);
    left -= size;
  }
  return sizes;
}

}  // namespace

Result<std::vector<PartyShare>> parse_party_mix(std::string_view text) {
  auto bad = [&] {
    return make_error(
        Errc::invalid_field,
        fmt::format("--party-mix must be SIZE:WEIGHT[,SIZE:WEIGHT…] (sizes 1-16, weights 1-1000), not {}", text),
        "party-mix");
  };
  if (text.empty() || text.back() == ',') return bad();
  std::vector<PartyShare> mix;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    auto colon = item.find(':');
    if (colon == std::string_view::npos || mix.size() >= 16) return bad();
    PartyShare s;
    auto size_part = item.substr(0, colon);
    auto weight_part = item.substr(colon + 1);
    auto [p1, e1] = std::from_chars(size_part.data(), size_part.data() + size_part.size(), s.size);
    auto [p2, e2] = std::from_chars(weight_part.data(), weight_part.data() + weight_part.size(), s.weight);
    if (e1 != std::errc() || p1 != size_part.data() + size_part.size() || e2 != std::errc() ||
        p2 != weight_part.data() + weight_part.size() || s.size < 1 || s.size > 16 || s.weight < 1 || s.weight > 1000)
      return bad();
    mix.push_back(s);
  }
  if (mix.empty()) return bad();
  return mix;
}

LoadRun::LoadRun(LoadOptions options) : options_(std::move(options)) {}

LoadReport LoadRun::run(std::FILE* progress) {
  asio::io_context io;
  auto start = Clock::now();
  Run run(options_, start);
  run.stats.set_players(options_.players);
  std::mt19937_64 rng(options_.seed);

  // The progress line, once a second, until the last party ends or the hard limit.
  auto hard_stop = run.end + options_.match_timeout + options_.game_timeout + kToldGrace + 30s;
  auto progress_strand = asio::make_strand(io);
  asio::steady_timer tick(progress_strand);
  std::atomic<bool> finished{false};
  run.on_last_party = [&] {
    asio::post(progress_strand, [&] {
      finished = true;
      tick.cancel();
    });
  };

  auto sizes = party_sizes(options_.party_mix, options_.players, rng);
  auto spread =
      std::clamp<Clock::duration>(options_.duration / 4 / static_cast<int>(sizes.size()), kMinSpread, kMaxSpread);
  int index = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    auto strand = asio::make_strand(io);
    std::vector<std::shared_ptr<Player>> players;
    for (int k = 0; k < sizes[i]; ++k) players.push_back(std::make_shared<Player>(strand, run, index++));
    Party::spawn(run, strand, std::move(players), rng(), start + spread * static_cast<int>(i));
  }

  // A named closure: the coroutine refers to it until it ends.
  auto progress_loop = [&]() -> awaitable<void> {
    while (!finished && Clock::now() < hard_stop) {
      tick.expires_after(1s);
      co_await tick.async_wait(kNoThrow);
      if (progress && !finished)
        std::fprintf(progress, "%s\n", progress_line(run.stats.snapshot(Clock::now())).c_str());
    }
    if (!finished) run.stats.error("run_cut_short");
    io.stop();
  };
  asio::co_spawn(progress_strand, progress_loop(), asio::detached);
  std::vector<std::thread> threads;
  for (int t = 1; t < options_.threads; ++t) threads.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : threads) t.join();
  auto report = run.stats.snapshot(Clock::now());
  if (progress) std::fprintf(progress, "%s\n", progress_line(report).c_str());
  return report;
}

}  // namespace webgames::loadgen
