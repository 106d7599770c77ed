// webgames: one binary, one subcommand per role (see ARCHITECTURE.md).
// main only parses the command line, builds the config and wires the parts.

#include "app/app.h"
#include "app/config.h"
#include "app/logging.h"
#include "app/operator_account.h"
#include "auth/key_ring.h"
#include "ctl/ctl.h"
#include "loadgen/loadgen.h"
#include "play/play.h"
#include "simulate/simulate_command.h"

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <csignal>

#include <cstdlib>
#include <iostream>

namespace {

// The config file comes first, so that the environment and flags (parsed
// after it, with its values as defaults) override it. `serve` reads it, and
// `ctl operator create` and `ctl signing-keys`, which open the same store.
std::string find_config_path(int argc, char** argv) {
  bool serve = argc >= 2 && std::string_view(argv[1]) == "serve";
  bool local = argc >= 4 && std::string_view(argv[1]) == "ctl" &&
               (std::string_view(argv[2]) == "operator" || std::string_view(argv[2]) == "signing-keys");
  if (!serve && !local) return "";
  for (int i = 2; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--config" && i + 1 < argc) return argv[i + 1];
    if (arg.starts_with("--config=")) return std::string(arg.substr(9));
  }
  const char* env = std::getenv("WEBGAMES_CONFIG");
  return env ? env : "";
}

}  // namespace

int main(int argc, char** argv) {
  // Game servers inherit this (the process runtime's, and runc's): a write
  // past the limit of a session's log (hosting.log_limit_mb, RLIMIT_FSIZE)
  // fails with EFBIG instead of killing the server. webgames sets no such
  // limit on itself.
  ::signal(SIGXFSZ, SIG_IGN);
  webgames::Config config;
  auto config_path = find_config_path(argc, argv);
  if (!config_path.empty()) {
    if (auto r = webgames::load_config_file(config_path, config); !r) {
      std::cerr << "webgames: " << r.error().message << "\n";
      return 2;
    }
  }

  CLI::App app{"Webgames: on-demand dedicated game servers"};
  app.require_subcommand(1);
  auto* serve = app.add_subcommand("serve", "run every role in one process (the embedded default)");
  serve->add_option("--config", config_path, "TOML configuration file")->envname("WEBGAMES_CONFIG");
  webgames::add_config_flags(*serve, config);
  auto* ctl = app.add_subcommand("ctl", "command line for developers and operators");
  webgames::ctl::add_ctl_commands(*ctl);
  // Local, not through the API: a fresh installation has no operator to ask.
  auto* operators = ctl->add_subcommand("operator", "operator accounts (on the server: opens its store)");
  operators->require_subcommand(1);
  auto* operator_create = operators->add_subcommand(
      "create",
      "make USERNAME an operator in the store `serve` uses with the same settings (creating the account "
      "when absent; promoting it when present)");
  std::string operator_name, operator_password;
  operator_create->add_option("username", operator_name)->required();
  operator_create->add_option("--password", operator_password, "for a new account; or $WEBGAMES_PASSWORD, or stdin");
  operator_create->add_option("--config", config_path, "TOML configuration file, as for serve")
      ->envname("WEBGAMES_CONFIG");
  webgames::add_config_flags(*operator_create, config);
  auto* signing_keys = ctl->add_subcommand(
      "signing-keys", "the keys access and join tokens are signed with (on the server: its keys folder)");
  signing_keys->require_subcommand(1);
  auto* rotate = signing_keys->add_subcommand(
      "rotate",
      "one step of a rotation: the first makes the next keys (accepted once every replica has reloaded: SIGHUP), "
      "the second makes them sign (docs/auth.md#rotating-a-signing-key)");
  std::string rotate_kind = "all";
  rotate->add_option("--kind", rotate_kind, "token, join or all")->check(CLI::IsMember({"token", "join", "all"}));
  rotate->add_option("--config", config_path, "TOML configuration file, as for serve")->envname("WEBGAMES_CONFIG");
  webgames::add_config_flags(*rotate, config);
  webgames::ctl::accept_options_after_commands(*ctl);
  auto* play = app.add_subcommand("play", "play a game from the terminal, as a guest");
  webgames::play::add_play_command(*play);
  auto* loadgen = app.add_subcommand("loadgen", "simulated players against a server, for load tests (JSON report)");
  webgames::loadgen::add_loadgen_command(*loadgen);
  auto* simulate =
      app.add_subcommand("simulate", "a warm pool's idle servers against time-to-play on a demand curve (JSON line)");
  webgames::simulate::add_simulate_command(*simulate);
  app.add_subcommand("version", "print the version")->callback([] { std::cout << "webgames 0.1.0\n"; });

  CLI11_PARSE(app, argc, argv);

  if (operator_create->parsed()) {
    if (auto r = webgames::validate_config(config); !r) {
      std::cerr << "webgames: " << r.error().message << "\n";
      return 2;
    }
    webgames::SystemClock clock;
    auto made = webgames::make_operator(
        config, operator_name, [&] { return webgames::ctl::read_password(operator_password); }, clock);
    if (!made) {
      std::cerr << "error: " << made.error().message;
      if (!made.error().field.empty()) std::cerr << " (field " << made.error().field << ")";
      std::cerr << "\n";
      return 1;
    }
    const auto& a = made->account;
    webgames::ctl::print_json_or_fields({{"id", a.id},
                                         {"username", a.username},
                                         {"role", webgames::to_string(a.role)},
                                         {"created", made->created},
                                         {"promoted", made->promoted}});
    return 0;
  }
  if (rotate->parsed()) {
    auto dir = webgames::keys_folder(config);
    for (std::string kind : {"token", "join"}) {
      if (rotate_kind != "all" && rotate_kind != kind) continue;
      auto step = webgames::rotate_keys(dir, kind);
      if (!step) {
        std::cerr << "error: " << step.error().message << "\n";
        return 1;
      }
      bool promoted = step->step == webgames::KeyRotation::Step::promoted;
      webgames::ctl::print_json_or_fields(
          {{"kind", kind},
           {"step", promoted ? "promoted" : "next_made"},
           {"key_id", step->key_id},
           {"retired_id", step->retired_id},
           {"then", promoted ? "reload every replica (SIGHUP): they sign with key_id; remove the retired key's file "
                               "once its last token has expired, and reload again"
                             : "reload every replica (SIGHUP) so that each accepts key_id, then run this again"}});
    }
    return 0;
  }
  if (ctl->parsed()) return webgames::ctl::run_ctl();
  if (play->parsed()) return webgames::play::run_play();
  if (loadgen->parsed()) return webgames::loadgen::run_loadgen();
  if (simulate->parsed()) return webgames::simulate::run_simulate();
  if (serve->parsed()) {
    if (auto r = webgames::validate_config(config); !r) {
      std::cerr << "webgames: " << r.error().message << "\n";
      return 2;
    }
    webgames::setup_logging(config.log_level, config.log_format);
    try {
      webgames::SystemClock clock;
      webgames::App server(config, clock);
      server.run_until_signal();
    } catch (const std::exception& e) {
      spdlog::critical("{}", e.what());
      return 1;
    }
  }
  return 0;
}
