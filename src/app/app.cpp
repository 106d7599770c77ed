#include "app/app.h"

#include "app/operator_account.h"
#include "app/stores.h"

#include "api/event_stream.h"
#include "api/routes.h"
#include "auth/ed25519.h"
#include "auth/password.h"
#include "core/encoding.h"
#include "docker/docker_runtime.h"
#include "events/embedded_event_bus.h"
#include "limits/embedded_rate_limiter.h"
#include "metrics/family.h"
#include "oci/oci_runtime.h"
#include "postgres/postgres_catalog.h"
#include "process/process_runtime.h"
#include "redis/redis_event_bus.h"
#include "redis/redis_logouts.h"
#include "redis/redis_rate_limiter.h"
#include "sqlite/sqlite_catalog.h"
#include "sqlite/sqlite_event_log.h"
#include "sqlite/sqlite_lobby_store.h"
#include "sqlite/sqlite_pool_sizer_store.h"
#include "swarm/swarm_runtime.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_future.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>

namespace webgames {
namespace {

// The console keeps the last 360 samples: an hour at the default 10 s.
constexpr std::size_t kConsoleSamples = 360;

http::ServerOptions server_options(const Config& c) {
  http::ServerOptions o;
  o.address = c.address;
  o.port = c.port;
  o.body_limit = c.body_limit;
  o.header_timeout = std::chrono::milliseconds(c.header_timeout_ms);
  o.body_timeout = std::chrono::milliseconds(c.body_timeout_ms);
  o.shutdown_grace = std::chrono::milliseconds(c.shutdown_grace_ms);
  o.max_connections = c.max_connections;
  o.max_connections_per_address = c.max_connections_per_address;
  o.access_log = c.access_log;
  o.access_log_json = c.log_format == "json";
  o.cors_origins = http::parse_cors_origins(c.cors_origins).value();           // validated with the configuration
  o.trusted_proxies = http::TrustedProxies::parse(c.trusted_proxies).value();  // validated too
  o.uncounted_addresses = http::TrustedProxies::parse(c.uncounted_addresses).value();
  return o;
}

// The configured installation id, or the one kept in the data directory
// (made up on the first start): it tells this installation's containers
// from any other's on the same engine.
std::string installation_id(const Config& c, const std::filesystem::path& dir) {
  if (!c.installation.empty()) return c.installation;
  auto file = dir / "installation-id";
  std::string id;
  if (std::ifstream in(file); in) std::getline(in, id);
  if (id.empty()) {
    id = new_id("ins_");
    std::ofstream out(file, std::ios::trunc);
    out << id << '\n';
    if (!out) throw std::runtime_error(fmt::format("cannot write {}", file.string()));
  }
  return id;
}

// <folder of the webgames binary>/<relative>.
std::filesystem::path beside_binary(const std::filesystem::path& relative) {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? relative : exe.parent_path() / relative;
}

std::unique_ptr<Runtime> make_runtime(const Config& c, boost::asio::any_io_executor strand,
                                      const std::filesystem::path& dir) {
  if (c.runtime == "docker") {
    docker::ClientOptions client;
    client.socket = c.docker_socket;
    docker::DockerOptions options;
    options.host = c.public_host;
    options.installation = installation_id(c, dir);
    options.sdk_host = c.docker_sdk_host;
    options.log_limit = c.log_limit_mb << 20;
    spdlog::info("docker runtime: dockerd at {}, installation {}", client.socket, options.installation);
    return std::make_unique<docker::DockerRuntime>(std::move(strand),
                                                   std::make_shared<const docker::DockerClient>(client), options);
  }
  if (c.runtime == "swarm") {
    docker::ClientOptions client;
    client.socket = c.docker_socket;
    swarm::SwarmOptions options;
    options.host = c.public_host;
    options.installation = installation_id(c, dir);
    options.sdk_host = c.docker_sdk_host;
    options.stop_grace = std::chrono::milliseconds(c.stop_grace_ms);
    options.log_limit = c.log_limit_mb << 20;
    spdlog::info("swarm runtime: swarm manager at {}, installation {}", client.socket, options.installation);
    return std::make_unique<swarm::SwarmRuntime>(std::move(strand),
                                                 std::make_shared<const docker::DockerClient>(client), options);
  }
  if (c.runtime == "oci") {
    oci::OciOptions options;
    options.state_dir = c.oci_state_dir.empty() ? dir / "oci" : std::filesystem::path(c.oci_state_dir);
    options.images_dir =
        c.oci_images_dir.empty() ? beside_binary("images/oci") : std::filesystem::path(c.oci_images_dir);
    options.runc = c.oci_runc;
    options.host = c.public_host;
    options.installation = installation_id(c, dir);
    options.log_limit = static_cast<std::uint64_t>(c.log_limit_mb) << 20;
    spdlog::info("oci runtime: runc state in {}, images from {}, installation {}", options.state_dir.string(),
                 options.images_dir.string(), options.installation);
    return std::make_unique<oci::OciRuntime>(std::move(strand), options);
  }
  return std::make_unique<ProcessRuntime>(std::move(strand), c.public_host, installation_id(c, dir),
                                          static_cast<std::uint64_t>(c.log_limit_mb) << 20);
}

// Losing the lobby's lease (scaled mode) ends the process at once: another
// replica owns the lobby now and refuses this one's writes; its game
// servers run on and the new owner adopts them. A supervisor starts it again.
void stop_at_once(const Error& why) {
  spdlog::critical("lobby: {}; this replica stops now (a supervisor starts it again)", why.message);
  spdlog::default_logger()->flush();
  std::_Exit(75);
}

}  // namespace

App::App(Config config, const Clock& clock)
    : config_(std::move(config)),
      clock_(clock),
      blocking_(config_.blocking_threads),
      loops_(config_.threads),
      hosting_(boost::asio::make_strand(loops_.first().get_executor())) {
  std::filesystem::path dir = config_.data_dir;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot create data directory {}: {}", dir.string(), ec.message()));

  if (!config_.catalog_url.empty()) postgres_queries_ = std::make_unique<metrics::Histogram>(metrics::kCallBuckets);
  catalog_ = make_catalog(config_, dir, postgres_queries_.get());
  for (const auto& name : promote_operators(*catalog_, config_.operators))
    spdlog::warn(
        "auth.operators: \"{}\" not promoted: no such account (create it with `webgames ctl operator create {}`), a "
        "guest, or the catalog failed",
        name, name);
  games_ = std::make_unique<GameCache>(clock_, std::chrono::milliseconds(config_.game_cache_ttl_ms));
  auto token_keys = KeyRing::load(keys_folder(config_), "token");
  if (!token_keys) throw std::runtime_error(token_keys.error().message);
  tokens_ = std::make_unique<AccessTokens>(std::move(*token_keys), clock_, Seconds(config_.access_ttl_s));
  auth_ = std::make_unique<AuthService>(*catalog_, PasswordHasher(password_cost(config_.password_cost)), *tokens_,
                                        clock_, Seconds(config_.refresh_ttl_s));
  using std::chrono::milliseconds;
  events_ = make_event_bus(dir);
  if (redis_) {
    logouts_ = std::make_unique<redis::RedisLogouts>(loops_.first().get_executor(), redis_, *tokens_,
                                                     config_.live_state_prefix);
    tokens_->on_logout(
        [logouts = logouts_.get()](const std::string& login, TimePoint until) { logouts->share(login, until); });
    game_changes_ = std::make_unique<redis::RedisGameChanges>(loops_.first().get_executor(), redis_, *games_,
                                                              config_.live_state_prefix);
  }
  // The ticket limit is counted where the lobby runs (limits/rate_limits.h).
  lobby_rate_limiter_ = std::make_unique<EmbeddedRateLimiter>(clock_);
  if (redis_) shared_rate_limiter_ = std::make_unique<redis::RedisRateLimiter>(redis_, config_.live_state_prefix);
  rate_limits_ = std::make_unique<RateLimits>(shared_rate_limiter_ ? *shared_rate_limiter_ : *lobby_rate_limiter_,
                                              *lobby_rate_limiter_, config_.limits);
  ports_ = std::make_unique<PortAllocator>(config_.port_first, config_.port_last);
  runtime_ = make_runtime(config_, hosting_, dir);
  auto join_keys = KeyRing::load(keys_folder(config_), "join");
  if (!join_keys) throw std::runtime_error(join_keys.error().message);
  DirectorOptions director;
  director.sessions_dir = std::filesystem::absolute(
      config_.sessions_dir.empty() ? dir / "sessions" : std::filesystem::path(config_.sessions_dir));
  director.ready_timeout = milliseconds(config_.ready_timeout_ms);
  director.heartbeat_interval = milliseconds(config_.heartbeat_interval_ms);
  director.missed_heartbeats = config_.missed_heartbeats;
  director.stop_grace = milliseconds(config_.stop_grace_ms);
  director.allocate_timeout = milliseconds(config_.allocate_timeout_ms);
  director.quotas = Quotas(config_.quotas, config_.developer_quotas);
  director_ = std::make_unique<Director>(hosting_, *runtime_, *ports_, *catalog_, *events_, clock_,
                                         std::move(*join_keys), director);
  director_->set_metrics(&session_metrics_);
  log_keys();
  ratings_ = std::make_unique<RatingBook>(*catalog_);
  // On the director's journal thread, right after the results are saved
  // and before the players are told.
  // A session write refused as fenced out: another replica owns the lobby
  // (this one was paused past its lease), as a refused lobby write says.
  if (redis_) director_->on_fenced([](const Error& why) { stop_at_once(why); });
  director_->on_session_ended([this](const Session& ended) {
    if (auto r = ratings_->record(ended); !r)
      spdlog::error("ratings of session {} not updated: {}", ended.id, r.error().message);
  });
  LobbyOptions lobby;
  lobby.ticket_ttl = std::chrono::seconds(config_.ticket_ttl_s);
  lobby.party_idle = std::chrono::seconds(config_.party_idle_s);
  lobby.start_below_max_after = milliseconds(config_.start_below_max_after_ms);
  lobby.quotas = director.quotas;
  if (redis_) {
    LobbyOwnershipOptions owner;
    owner.ttl = milliseconds(config_.lease_ttl_ms);
    ownership_ = std::make_unique<LobbyOwnership>(
        loops_.first().get_executor(), redis_, config_.live_state_prefix, blocking_, owner,
        [this](const redis::LeaseGrant& grant) { take_over(grant); }, stop_at_once);
    // The lobby's events go with its changes, onto the bus's streams.
    auto store = std::make_unique<redis::RedisLobbyStore>(loops_.first().get_executor(), redis_, ownership_->lease(),
                                                          config_.live_state_prefix, redis_event_options());
    redis_lobby_store_ = store.get();
    lobby_store_ = std::move(store);
    auto sizers = std::make_unique<redis::RedisPoolSizerStore>(loops_.first().get_executor(), redis_,
                                                               ownership_->lease(), config_.live_state_prefix);
    redis_sizer_store_ = sizers.get();
    sizer_store_ = std::move(sizers);
  } else {
    lobby_store_ = std::make_unique<SqliteLobbyStore>(dir / "lobby.db");
    sizer_store_ = std::make_unique<SqlitePoolSizerStore>(dir / "lobby.db");
  }
  lobby_journal_ = std::make_unique<LobbyJournal>(*lobby_store_, *events_);
  lobby_journal_->on_fenced(stop_at_once);
  lobby_ = std::make_unique<Lobby>(hosting_, *director_, *lobby_journal_, clock_, lobby);
  lobby_->set_metrics(&ticket_metrics_);
  // The console: one hub per process, one sampler (where the lobby runs);
  // session changes go out from the director's journal. In the scaled mode
  // through the EventBus (the console's stream, every replica's hub reads
  // it), else straight to the hub.
  console_ = std::make_shared<console::ConsoleHub>(*events_, kConsoleSamples, config_.console_sample_s);
  console::ConsolePublish publish = [this](std::string_view type, const boost::json::object& data) {
    console_->deliver(type, data);
  };
  if (redis_) {
    publish = [this](std::string_view type, const boost::json::object& data) {
      events_->publish(std::string(console::kConsoleStream), type, data);
    };
    // Session changes a batch per 250 ms: one Redis write, not one each.
    console_changes_ =
        std::make_unique<console::ChangeBatch>(loops_.first().get_executor(), *events_, std::chrono::milliseconds(250));
    director_->on_session_changed(
        [this](const Session& s) { console_changes_->add(console::session_change(s, clock_.now())); });
  } else {
    director_->on_session_changed(
        [this](const Session& s) { console_->deliver("session.changed", console::session_change(s, clock_.now())); });
  }
  console_sampler_ = std::make_unique<console::ConsoleSampler>(
      hosting_, console::SamplerParts{*lobby_, *director_, session_metrics_, std::move(publish), clock_},
      std::chrono::seconds(config_.console_sample_s),
      [this] { return !ownership_ || ownership_->where().kind == api::LobbyPlace::Kind::here; });

  services_ = std::unique_ptr<api::Services>(new api::Services{
      *catalog_, *games_, *auth_, *tokens_, blocking_, clock_, hosting_, *lobby_, *director_, *events_, *ratings_,
      director.sessions_dir, config_.developer_signup, [this] { return render_metrics(); }});
  for (std::size_t i = 0; i < loops_.size(); ++i) lag_.watch(fmt::format("loop{}", i), loops_.at(i).get_executor());
  lag_.watch("hosting", hosting_);
  services_->live_state_ready = live_state_ready_;
  if (ownership_) services_->lobby_place = [o = ownership_.get()] { return o->where(); };
  services_->rate_limits = rate_limits_.get();
  if (game_changes_)
    services_->share_game_change = [changes = game_changes_.get()](std::string name) {
      return changes->share(std::move(name));
    };
  services_->console = console_.get();
  player_streams_ = std::make_shared<api::PlayerStreams>(config_.event_streams_per_player);
  services_->player_streams = player_streams_.get();
  // Weakly: a logout from another replica may arrive while this one stops.
  tokens_->on_revoked([streams = std::weak_ptr<api::PlayerStreams>(player_streams_),
                       consoles = std::weak_ptr<console::ConsoleHub>(console_)](const std::string& login) {
    if (auto s = streams.lock()) s->revoked(login);
    if (auto c = consoles.lock()) c->revoked(login, api::kLoggedOut, "logged out");
  });
  api::add_routes(router_, *services_);
  pages_ = http::StaticPages::load(
      config_.static_dir.empty() ? http::default_static_dir() : std::filesystem::path(config_.static_dir),
      {"play", "console"});
  pages_.add_routes(router_);
  server_ = std::make_unique<http::HttpServer>(server_options(config_), router_, loops_);
}

redis::EventBusOptions App::redis_event_options() const {
  redis::EventBusOptions options;
  options.prefix = config_.live_state_prefix;
  return options;
}

std::unique_ptr<EventBus> App::make_event_bus(const std::filesystem::path& dir) {
  if (config_.live_state_url.empty()) {
    EmbeddedEventBusOptions options;
    return std::make_unique<EmbeddedEventBus>(clock_, options,
                                              std::make_unique<SqliteEventLog>(dir / "events.db", options.history));
  }
  auto options = redis::parse_url(config_.live_state_url, "live_state.url");
  if (!options) throw std::runtime_error(options.error().message);
  redis_round_trips_ = std::make_unique<metrics::Histogram>(metrics::kCallBuckets);
  options->round_trips = redis_round_trips_.get();
  redis_ = std::make_shared<redis::Client>(loops_.first().get_executor(), *options);
  spdlog::info("live state: events through Redis at {}", options->address());
  auto bus = std::make_unique<redis::RedisEventBus>(loops_.first().get_executor(), redis_, redis_event_options());
  live_state_ready_ = [bus = bus.get()] { return bus->ready(); };
  return bus;
}

std::string App::render_metrics() const {
  auto out = server_->render_metrics() + lobby_->queue_metrics() + ticket_metrics_.render() +
             session_metrics_.render() + lag_.render();
  if (redis_round_trips_) {
    metrics::write_header(out, "webgames_redis_command_duration_seconds", "histogram",
                          "Round trips of Redis calls (a command or a pipeline), from the call to its replies.");
    redis_round_trips_->render(out, "webgames_redis_command_duration_seconds", "");
  }
  if (postgres_queries_) {
    metrics::write_header(out, "webgames_postgres_query_duration_seconds", "histogram",
                          "PostgreSQL statements of the catalog, from sending to the result.");
    postgres_queries_->render(out, "webgames_postgres_query_duration_seconds", "");
  }
  return out;
}

App::~App() {
  loops_.stop();
  blocking_.stop();
}

void App::start() {
  server_->start();
  auto own_host = config_.address == "0.0.0.0" ? std::string("127.0.0.1")
                  : config_.address == "::"    ? std::string("::1")
                                               : config_.address;
  if (own_host.find(':') != std::string::npos) own_host = "[" + own_host + "]";
  auto own_address = fmt::format("{}:{}", own_host, server_->port());
  director_->set_sdk_url(config_.sdk_url.empty() ? "http://" + own_address : config_.sdk_url);
  if (ownership_) {
    // The lobby starts on whichever replica wins its lease (take_over).
    ownership_->start(config_.advertise.empty() ? own_address : config_.advertise);
  } else {
    auto records = lobby_store_->load();
    if (!records) throw std::runtime_error(records.error().message);
    run_lobby(*records, load_pool_sizers());
  }
  if (redis_) console_->start(loops_.first().get_executor());
  console_sampler_->start();
  lag_.start();
  loops_.start();
  spdlog::info("webgames serving on http://{}:{} (data in {}, {} event loops)", config_.address, server_->port(),
               config_.data_dir, loops_.size());
}

void App::run_lobby(const LobbyRecords& records, PoolSizerRecords sizers) {
  // Parties and tickets first, so that the sessions the director recovers
  // get their tickets back (and requeue them when their server is gone).
  auto matched = lobby_->restore(records, [this](const std::string& name) -> std::optional<Game> {
    auto game = catalog_->game_by_name(name);
    if (!game && game.error().code != Errc::not_found)
      throw std::runtime_error(fmt::format("cannot read game {}: {}", name, game.error().message));
    return game ? std::optional<Game>(std::move(*game)) : std::nullopt;
  });
  director_->keep_pool_sizers(sizer_store_.get(), std::move(sizers));
  lobby_->settle(director_->start(std::move(matched)));
  lobby_->start();
}

PoolSizerRecords App::load_pool_sizers() {
  // Lost, it costs the pools their forecast, not a match: they start from the prior.
  auto saved = sizer_store_->load();
  if (saved) return std::move(*saved);
  spdlog::warn("what the pools' sizers learned cannot be read: {}", saved.error().message);
  return {};
}

void App::take_over(const redis::LeaseGrant& grant) {
  // The games this replica read while another owned the lobby may predate
  // that owner's last changes (a delete, a queue removed): read them afresh.
  games_->clear();
  redis_lobby_store_->set_grant(grant);
  // Session writes carry the grant's token, and those of any older owner
  // (paused past its lease) are refused from now on, new sessions included.
  director_->set_fence(grant.token);
  if (auto raised = catalog_->raise_session_fence(grant.token); !raised)
    throw std::runtime_error("cannot fence the sessions: " + raised.error().message);
  redis_sizer_store_->set_grant(grant);
  auto records = lobby_store_->load();
  if (!records) throw std::runtime_error("cannot read the lobby: " + records.error().message);
  auto sizers = load_pool_sizers();
  // On the hosting strand: from here on the lobby and the director run there.
  std::packaged_task<void()> task([&] { run_lobby(*records, std::move(sizers)); });
  auto done = task.get_future();
  boost::asio::post(hosting_, [&task] { task(); });
  done.get();
}

void App::shutdown() {
  console_sampler_->stop();
  events_->close_all();
  boost::asio::post(hosting_, [this] {
    lobby_->stop();
    director_->stop();
  });
  lag_.stop();
  server_->shutdown([this] {
    if (!ownership_) {
      spdlog::info("webgames stopped");
      loops_.request_stop();
      return;
    }
    // Off the loops: the lobby's last changes land, then the lease is given
    // up so that another replica takes over at once.
    blocking_.post([this] {
      boost::asio::post(lobby_journal_->executor(), boost::asio::use_future).get();
      // The director has stopped (posted before) and asked its last save of the sizers: it lands first.
      boost::asio::post(hosting_, boost::asio::use_future).get();
      boost::asio::post(director_->sizer_saves(), boost::asio::use_future).get();
      ownership_->stop_and_release();
      spdlog::info("webgames stopped");
      loops_.request_stop();
    });
  });
}

void App::wait() { loops_.join(); }

Result<void> App::reload_keys() {
  auto token_keys = KeyRing::load(keys_folder(config_), "token");
  if (!token_keys) return token_keys.error();
  auto join_keys = KeyRing::load(keys_folder(config_), "join");
  if (!join_keys) return join_keys.error();
  tokens_->use_keys(std::move(*token_keys));
  director_->use_join_keys(std::move(*join_keys));
  log_keys();
  return {};
}

void App::log_keys() const {
  auto tokens = tokens_->keys();
  auto joins = director_->join_keys();
  spdlog::info("keys: access tokens signed by {}, accepted: {}; join tokens signed by {}, accepted: {}",
               tokens->signing().key_id(), fmt::join(tokens->key_ids(), " "), joins->signing().key_id(),
               fmt::join(joins->key_ids(), " "));
}

void App::run_until_signal() {
  // SIGHUP reloads the signing keys (docs/auth.md#rotating-a-signing-key),
  // off the loop: it reads files.
  boost::asio::signal_set reloads(loops_.first(), SIGHUP);
  std::function<void(const boost::system::error_code&, int)> on_reload;
  on_reload = [&](const boost::system::error_code& ec, int) {
    if (ec) return;
    blocking_.post([this] {
      if (auto r = reload_keys(); !r) spdlog::error("keys: not reloaded, the ones in use stay: {}", r.error().message);
    });
    reloads.async_wait(on_reload);
  };
  reloads.async_wait(on_reload);
  boost::asio::signal_set signals(loops_.first(), SIGINT, SIGTERM);
  std::function<void(const boost::system::error_code&, int)> on_signal;
  on_signal = [&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: shutting down (again to stop at once)", signal);
    shutdown();
    signals.async_wait([this](const boost::system::error_code& e, int) {
      if (!e) {
        spdlog::warn("second signal: stopping now");
        loops_.request_stop();
      }
    });
  };
  signals.async_wait(on_signal);
  start();
  wait();
}

}  // namespace webgames
