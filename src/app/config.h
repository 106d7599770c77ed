#pragma once
// The configuration of `webgames serve`, from three layers: a TOML file
// (--config), WEBGAMES_* environment variables, and command-line flags.
// Flags override the environment, which overrides the file, which overrides
// the defaults below. docs/configuration.md lists every setting.

#include "core/error.h"
#include "domain/quota.h"
#include "limits/rate_limits.h"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace webgames {

struct Config {
  // [http]
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;
  unsigned threads = 0;  // event-loop threads; 0: one per core
  std::size_t body_limit = 64 * 1024;
  int header_timeout_ms = 10'000;
  int body_timeout_ms = 30'000;
  int shutdown_grace_ms = 10'000;
  std::size_t max_connections = 10'000;
  std::size_t max_connections_per_address = 1'000;  // 0: no limit (http/server.h)
  // Not counted by max_connections_per_address: this host (local tools and
  // load tests, a reverse proxy on the same host). Empty: every address counts.
  std::string uncounted_addresses = "127.0.0.0/8, ::1";
  std::size_t event_streams_per_player = 8;  // a player's newest /v1/events stream ends their oldest beyond this
  bool access_log = true;
  std::string cors_origins;     // origins whose pages may call the API (http/cors.h); empty: none
  std::string trusted_proxies;  // proxies whose X-Forwarded-For names the client (http/forwarded.h); empty: none
  std::string static_dir;       // the built pages (/play); empty: "pages" beside the binary (http/static_pages.h)
  // [data]
  std::string data_dir = "data";
  unsigned blocking_threads = 4;  // threads for the Catalog and password hashing (and Postgres connections)
  int game_cache_ttl_ms = 5000;   // how stale another process's game write may look here
  // [catalog]
  std::string catalog_url;  // postgres://user@host:port/db; empty: SQLite in the data directory
  // [live_state]
  std::string live_state_url;  // redis://host:port[/db]: events shared through Redis; empty: embedded
  // With live_state_url: the lobby's lease. Its owner renews it every third
  // of this; when it stops, another replica takes over after at most this.
  int lease_ttl_ms = 3'000;
  std::string live_state_prefix = "webgames";  // every Redis key's; installations sharing a Redis need their own
  std::string advertise;  // host:port other replicas forward to; empty: the listen address and port
  // [log]
  std::string log_level = "info";   // trace, debug, info, warn, error
  std::string log_format = "text";  // text or json (JSON lines)
  // [hosting]
  std::string runtime = "process";        // the Runtime that starts game servers: process, docker, swarm or oci
  std::string installation;               // names this installation's containers; empty: <data>/installation-id
  std::string public_host = "127.0.0.1";  // the address players are sent to
  std::string sdk_url;                    // the URL game servers call webgames at; empty: this process's own address
  std::string sessions_dir;               // servers' logs and work folders; empty: <data>/sessions. Replicas share one
  std::uint16_t port_first = 7000;        // game servers' ports are taken from this range
  std::uint16_t port_last = 7999;
  int ready_timeout_ms = 30'000;          // a server must say ready within this
  int heartbeat_interval_ms = 5'000;      // servers heartbeat this often…
  int missed_heartbeats = 3;              // …and fail after missing this many
  std::size_t log_limit_mb = 64;          // of one session's server log, every runtime
  int stop_grace_ms = 5'000;              // SIGTERM, then SIGKILL after this
  int allocate_timeout_ms = 30'000;       // a session held in Allocating (no free port) fails after this
  int ticket_ttl_s = 600;                 // a queued ticket expires after this
  int party_idle_s = 3'600;               // a party without a ticket or a change is disbanded after this; 0: never
  int start_below_max_after_ms = 10'000;  // a match may start below its maximum after this
  // [quotas]: every developer's limits (QuotaLimits' defaults)…
  QuotaLimits quotas;
  // …and, from [quotas.developers."<account id>"] tables (file only), one
  // developer's: the keys they leave out take the [quotas] values.
  std::map<std::string, QuotaLimits> developer_quotas;
  // [docker]
  std::string docker_socket = "/var/run/docker.sock";  // dockerd's unix socket (a manager's, for swarm)
  std::string docker_sdk_host;  // where bridge containers reach webgames; empty: the bridge's gateway
  // [oci]
  std::string oci_state_dir;   // runc's state and the unpacked images; empty: <data>/oci
  std::string oci_images_dir;  // OCI image layouts, <dir>/<image name>; empty: images/oci beside the binary
  std::string oci_runc = "runc";
  // [console]
  int console_sample_s = 10;  // the console's sampling interval (its charts' resolution)
  // [limits]: requests per window (limits/rate_limits.h has the defaults); 0 turns one off
  RateLimitOptions limits;
  // [auth]
  int access_ttl_s = 900;
  int refresh_ttl_s = 30 * 24 * 3600;
  std::string password_cost = "interactive";  // interactive, moderate, or minimum (tests only)
  bool developer_signup = true;               // anyone may register a developer account
  // Usernames (comma-separated) promoted to operator at start (docs/auth.md);
  // an account not there yet is left to `webgames ctl operator create`.
  std::string operators;
  std::string keys_dir;  // the signing keys; empty: <data>/keys. Replicas share one
};

// Declares every setting as a flag of `app` with its environment variable,
// bound to `config`. Values already in `config` (from the file) are the
// defaults, so that parsing `app` applies flags over environment over file.
void add_config_flags(CLI::App& app, Config& config);

// Reads a TOML file into `config`. An unknown section or key, or a value of
// the wrong type, is an error naming it.
Result<void> load_config_file(const std::filesystem::path& file, Config& config);
// The same for TOML text; `source` names it in errors (a file name).
Result<void> load_config_text(std::string_view text, const std::string& source, Config& config);

// Checks ranges and enums after all layers are applied.
Result<void> validate_config(const Config& config);

// The folder of the signing keys: auth.keys_dir, or <data dir>/keys. What
// `serve` reads and `ctl signing-keys rotate` changes.
inline std::filesystem::path keys_folder(const Config& config) {
  return config.keys_dir.empty() ? std::filesystem::path(config.data_dir) / "keys"
                                 : std::filesystem::path(config.keys_dir);
}

}  // namespace webgames
