#pragma once
// `webgames ctl`: the command line for developers and operators.
//
//   webgames ctl register --username ada --role developer   (password from --password or $WEBGAMES_PASSWORD)
//   webgames ctl login --username ada
//   webgames ctl games create examples/shifumi/game.toml
//   webgames ctl games list | show NAME | delete NAME
//   webgames ctl keys create NAME | list
//
// Credentials are kept in $WEBGAMES_CREDENTIALS (Default:
// ~/.config/webgames/credentials.json, mode 0600); $WEBGAMES_TOKEN (an API
// key or access token) overrides them.

#include <CLI/CLI.hpp>

namespace webgames::ctl {

// Adds the subcommands to `ctl`. After parsing, run_ctl() executes the one chosen.
void add_ctl_commands(CLI::App& ctl);
// The exit status: 0 on success, 1 when the server refused or could not be
// reached. (Usage errors are CLI11's, reported by main.)
int run_ctl();

}  // namespace webgames::ctl
