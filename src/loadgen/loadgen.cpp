#include "loadgen/loadgen.h"

#include "loadgen/load_run.h"

#include <boost/json/serialize.hpp>

#include <sys/resource.h>
#include <cstdio>
#include <iostream>
#include <thread>

namespace webgames::loadgen {
namespace {

struct Options {
  std::string server = "http://127.0.0.1:8080";
  int players = 10;
  double rate = 10;
  double duration_s = 10;
  std::string game = "shifumi";
  std::string queue = "duel";
  std::string party_mix = "1:8,2:2";
  std::string protocol;  // empty: shifumi for the game "shifumi", else connect
  int match_timeout_s = 30;
  int game_timeout_s = 120;
  int threads = 1;
  std::uint64_t seed = 1;
};

Options& options() {
  static Options o;
  return o;
}

int fail(const std::string& message) {
  std::cerr << "error: " << message << std::endl;
  return 2;
}

// Each player holds up to three sockets (API, events, game server).
void raise_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

void add_loadgen_command(CLI::App& loadgen) {
  auto& o = options();
  loadgen.add_option("--server", o.server, "Webgames API URL (http://host:port)")
      ->envname("WEBGAMES_SERVER")
      ->capture_default_str();
  loadgen.add_option("--players", o.players, "simulated players")->check(CLI::Range(1, 100'000))->capture_default_str();
  loadgen.add_option("--rate", o.rate, "tickets created per second, all parties together")
      ->check(CLI::Range(0.01, 100'000.0))
      ->capture_default_str();
  loadgen.add_option("--duration", o.duration_s, "seconds during which tickets are created")
      ->check(CLI::Range(0.1, 86'400.0))
      ->capture_default_str();
  loadgen.add_option("--game", o.game, "the game to queue for")->capture_default_str();
  loadgen.add_option("--queue", o.queue, "the queue")->capture_default_str();
  loadgen
      .add_option("--party-mix", o.party_mix,
                  "party sizes and their weights; a size the queue refuses is played as solo players")
      ->capture_default_str();
  loadgen
      .add_option("--protocol", o.protocol,
                  "how to play on the game server: shifumi, or connect (connect and wait for the session's end). "
                  "Default: shifumi for the game shifumi, else connect")
      ->check(CLI::IsMember({"shifumi", "connect"}));
  loadgen.add_option("--match-timeout-s", o.match_timeout_s, "cancel a ticket not matched within this")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  loadgen.add_option("--game-timeout-s", o.game_timeout_s, "leave a game lasting longer than this")
      ->check(CLI::Range(1, 86'400))
      ->capture_default_str();
  loadgen.add_option("--threads", o.threads, "threads running the players' event loop")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  loadgen.add_option("--seed", o.seed, "seed of the party sizes and the moves")->capture_default_str();
}

int run_loadgen() {
  const auto& o = options();
  LoadOptions load;
  auto server = ctl::parse_server_url(o.server);
  if (!server) return fail(server.error().message);
  load.server = *server;
  auto mix = parse_party_mix(o.party_mix);
  if (!mix) return fail(mix.error().message);
  load.party_mix = *mix;
  load.players = o.players;
  load.rate = o.rate;
  load.duration = std::chrono::milliseconds(static_cast<std::int64_t>(o.duration_s * 1000));
  load.game = o.game;
  load.queue = o.queue;
  auto protocol = o.protocol.empty() ? (o.game == "shifumi" ? "shifumi" : "connect") : o.protocol;
  load.protocol = protocol == "shifumi" ? GameProtocol::shifumi : GameProtocol::connect;
  load.match_timeout = std::chrono::seconds(o.match_timeout_s);
  load.game_timeout = std::chrono::seconds(o.game_timeout_s);
  load.threads = o.threads;
  load.seed = o.seed;

  raise_file_limit();
  auto report = LoadRun(load).run(stderr);
  std::cout << boost::json::serialize(report_json(report)) << std::endl;
  return report.errors.empty() ? 0 : 1;
}

}  // namespace webgames::loadgen
