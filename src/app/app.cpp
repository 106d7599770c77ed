#include "app/app.h"

#include "api/routes.h"
#include "auth/ed25519.h"
#include "auth/password.h"
#include "sqlite/sqlite_catalog.h"

#include <fmt/format.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <boost/asio/signal_set.hpp>

#include <filesystem>

namespace webgames {
namespace {

PasswordCost password_cost(const std::string& name) {
  if (name == "minimum") return PasswordCost::minimum();
  if (name == "moderate") return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
  return {};
}

http::ServerOptions server_options(const Config& c) {
  http::ServerOptions o;
  o.address = c.address;
  o.port = c.port;
  o.body_limit = c.body_limit;
  o.header_timeout = std::chrono::milliseconds(c.header_timeout_ms);
  o.body_timeout = std::chrono::milliseconds(c.body_timeout_ms);
  o.shutdown_grace = std::chrono::milliseconds(c.shutdown_grace_ms);
  o.max_connections = c.max_connections;
  o.access_log = c.access_log;
  o.access_log_json = c.log_format == "json";
  return o;
}

}  // namespace

App::App(Config config, const Clock& clock)
    : config_(std::move(config)), clock_(clock), blocking_(config_.blocking_threads), loops_(config_.threads) {
  std::filesystem::path dir = config_.data_dir;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot create data directory {}: {}", dir.string(), ec.message()));

  catalog_ = std::make_unique<SqliteCatalog>(dir / "webgames.db");
  games_ = std::make_unique<GameCache>(clock_, std::chrono::milliseconds(config_.game_cache_ttl_ms));
  auto key = Ed25519Key::load_or_create(dir / "keys" / "token-signing.pem");
  if (!key) throw std::runtime_error(key.error().message);
  tokens_ = std::make_unique<AccessTokens>(std::move(*key), clock_, Seconds(config_.access_ttl_s));
  auth_ = std::make_unique<AuthService>(*catalog_, PasswordHasher(password_cost(config_.password_cost)), *tokens_,
                                        clock_, Seconds(config_.refresh_ttl_s));
  services_ = std::unique_ptr<api::Services>(new api::Services{*catalog_, *games_, *auth_, *tokens_, blocking_, clock_,
                                                               config_.developer_signup,
                                                               [this] { return server_->render_metrics(); }});
  api::add_routes(router_, *services_);
  server_ = std::make_unique<http::HttpServer>(server_options(config_), router_, loops_);
}

App::~App() {
  loops_.stop();
  blocking_.stop();
}

void App::start() {
  server_->start();
  loops_.start();
  spdlog::info("webgames serving on http://{}:{} (data in {}, {} event loops)", config_.address, server_->port(),
               config_.data_dir, loops_.size());
}

void App::shutdown() {
  server_->shutdown([this] {
    spdlog::info("webgames stopped");
    loops_.request_stop();
  });
}

void App::wait() { loops_.join(); }

void App::run_until_signal() {
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
