#include "play/play.h"

#include "ctl/http_client.h"
#include "play/blocking_io.h"
#include "play/events_client.h"
#include "play/guest_identity.h"
#include "play/interrupt.h"
#include "play/move_source.h"
#include "play/player_api.h"
#include "play/shifumi_client.h"
#include "play/ticket_tracker.h"

#include <fmt/format.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <random>

namespace webgames::play {
namespace {

using Clock = BlockingIo::Clock;
using namespace std::chrono_literals;

constexpr int kExitError = 1;
constexpr int kExitInterrupted = 130;
// How long to listen for the session's fate after its game server dropped us.
constexpr auto kAfterDropWait = 10s;

struct Options {
  std::string game;
  std::string queue = "duel";
  std::string server = "http://127.0.0.1:8080";
  std::string profile;    // --as
  std::string device_id;  // --device-id: overrides the device id file
  bool automatic = false;
  int timeout_s = 120;
};

Options& options() {
  static Options o;
  return o;
}

int fail(const Error& e) {
  std::cerr << "error: " << e.message << std::endl;
  return kExitError;
}

int fail(std::string_view message) { return fail(make_error(Errc::unavailable, std::string(message))); }

// --device-id, else the file of --as NAME, else $WEBGAMES_DEVICE_ID, else the default file.
Result<std::string> device_id() {
  const auto& o = options();
  if (!o.device_id.empty()) return o.device_id;
  const char* env = std::getenv("WEBGAMES_DEVICE_ID");
  if (o.profile.empty() && env && *env) return std::string(env);
  auto file = device_id_file(default_config_dir(), o.profile);
  if (!file) return file.error();
  return load_or_create_device_id(*file);
}

// One player's run: queue, wait for a game server, play; again after a requeue.
class PlayRun {
 public:
  PlayRun(BlockingIo& io, PlayerApi& api, EventsClient& events, const ctl::Endpoint& server)
      : io_(io), api_(api), events_(events), server_(server) {}

  // The exit status.
  int run() {
    const auto& o = options();
    auto ticket = api_.create_ticket(o.game, o.queue);
    if (!ticket) return fail(ticket.error());
    std::cout << fmt::format("queued in {}/{} (ticket {}), waiting up to {} s for a match", o.game, o.queue, *ticket,
                             o.timeout_s)
              << std::endl;
    TicketTracker tracker(*ticket, server_.host);
    auto moves = move_source();
    for (;;) {
      if (auto status = wait_for_server(tracker)) return *status;
      const auto& s = *tracker.session();
      auto outcome = play_shifumi(io_, GameServer{s.host, s.port, s.join_token}, *moves, std::cout);
      if (outcome) {
        events_.close();
        std::cout << "result: " << to_string(*outcome) << std::endl;
        return 0;
      }
      if (io_.interrupted()) return interrupted(tracker, false);
      fail(outcome.error());
      // A game server that vanished mid-game may have failed the session and re-queued the player.
      bool dropped = outcome.error().code == Errc::unavailable;
      if (!dropped || !requeued_after_drop(tracker)) return io_.interrupted() ? kExitInterrupted : kExitError;
    }
  }

 private:
  std::unique_ptr<MoveSource> move_source() {
    if (!options().automatic) return std::make_unique<PromptedMoves>(std::cin, std::cerr);
    return std::make_unique<RandomMoves>(std::random_device{}());
  }

  // Feeds events to `tracker` until a game server is ready (then empty), or
  // the run must end: then the exit status, already reported.
  std::optional<int> wait_for_server(TicketTracker& tracker) {
    auto deadline = Clock::now() + std::chrono::seconds(options().timeout_s);
    for (;;) {
      auto event = next_event(deadline);
      if (!event) {
        if (io_.interrupted()) return interrupted(tracker, true);
        cancel(tracker);
        return fail(event.error());
      }
      if (!*event) {
        if (io_.interrupted()) return interrupted(tracker, true);
        cancel(tracker);
        return fail(fmt::format("no match within {} s; ticket {} cancelled", options().timeout_s, tracker.ticket_id()));
      }
      auto update = report(tracker.on_event(**event));
      if (update == TicketTracker::Step::ready) return std::nullopt;
      if (update == TicketTracker::Step::failed) return kExitError;
      if (update == TicketTracker::Step::requeued) deadline = Clock::now() + std::chrono::seconds(options().timeout_s);
    }
  }

  // After the game server dropped the player mid-game: true when the session
  // failed with the player re-queued, so that waiting starts again.
  bool requeued_after_drop(TicketTracker& tracker) {
    auto deadline = Clock::now() + kAfterDropWait;
    for (;;) {
      auto event = next_event(deadline);
      if (!event || !*event) return false;
      auto step = report(tracker.on_event(**event));
      if (step != TicketTracker::Step::waiting) return step == TicketTracker::Step::requeued;
    }
  }

  // The next event; a malformed one is reported and skipped.
  Result<std::optional<Event>> next_event(Clock::time_point deadline) {
    for (;;) {
      auto event = events_.next(deadline);
      if (event || event.error().code != Errc::invalid_request) return event;
      std::cerr << "warning: " << event.error().message << std::endl;
    }
  }

  // Prints the update's message: an error on stderr, progress on stdout.
  static TicketTracker::Step report(const TicketTracker::Update& update) {
    if (update.message.empty()) return update.step;
    if (update.step == TicketTracker::Step::failed)
      std::cerr << "error: " << update.message << std::endl;
    else
      std::cout << update.message << std::endl;
    return update.step;
  }

  void cancel(const TicketTracker& tracker) {
    if (auto cancelled = api_.cancel_ticket(tracker.ticket_id()); !cancelled)
      std::cerr << "error: could not cancel ticket " << tracker.ticket_id() << ": " << cancelled.error().message
                << std::endl;
  }

  int interrupted(const TicketTracker& tracker, bool queued) {
    if (queued) cancel(tracker);
    std::cerr << (queued ? fmt::format("interrupted; ticket {} cancelled", tracker.ticket_id()) : "interrupted")
              << std::endl;
    return kExitInterrupted;
  }

  BlockingIo& io_;
  PlayerApi& api_;
  EventsClient& events_;
  const ctl::Endpoint& server_;
};

}  // namespace

void add_play_command(CLI::App& play) {
  auto& o = options();
  play.add_option("game", o.game, "the game to play (its server must speak the Shifumi protocol)")->required();
  play.add_option("--queue", o.queue, "the queue to join")->capture_default_str();
  play.add_option("--server", o.server, "Webgames API URL")->envname("WEBGAMES_SERVER")->capture_default_str();
  auto* as = play.add_option("--as", o.profile,
                             "play as the guest NAME (its own device id), e.g. a second player on this machine");
  play.add_option("--device-id", o.device_id,
                  "the guest's device id (Default: $WEBGAMES_DEVICE_ID unless --as, else the one kept in "
                  "~/.config/webgames/device-id[-NAME])")
      ->excludes(as);
  play.add_flag("--auto", o.automatic, "play random moves instead of reading them from stdin");
  play.add_option("--timeout-s", o.timeout_s, "give up (and cancel the ticket) without a match after this long")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
}

int run_play() {
  const auto& o = options();
  auto server = ctl::parse_server_url(o.server);
  if (!server) return fail(server.error());
  auto device = device_id();
  if (!device) return fail(device.error());

  catch_interrupts();
  BlockingIo io([] { return interrupted(); });
  PlayerApi api(*server, *device);
  auto account = api.login();
  if (!account) return fail(account.error());
  std::cout << "logged in as " << account->username << std::endl;

  // Opened before the ticket exists, so that none of its events is missed.
  EventsClient events(io, *server, [&api](bool refresh) -> Result<std::string> {
    if (refresh) {
      if (auto again = api.login(); !again) return again.error();
    }
    return api.access_token();
  });
  if (auto connected = events.connect(); !connected)
    return io.interrupted() ? kExitInterrupted : fail(connected.error());
  if (io.interrupted()) return kExitInterrupted;
  return PlayRun(io, api, events, *server).run();
}

}  // namespace webgames::play
