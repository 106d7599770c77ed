#pragma once
// `webgames ctl`: the command line for developers and operators.
//
//   webgames ctl register --username ada --role developer   (password from --password or $WEBGAMES_PASSWORD)
//   webgames ctl login --username ada
//   webgames ctl games create FILE | update FILE | list | show NAME | delete NAME
//   webgames ctl sessions list [--game G --state S --player P --since T --until T --limit N --cursor C]
//   webgames ctl sessions show ID | logs ID [--follow]
//   webgames ctl queues stats GAME QUEUE
//   webgames ctl keys create NAME | list | delete ID
//   webgames ctl operator create USERNAME    (on the server: see app/operator_account.h)
//
// Every command takes --output json|table (Default: table when stdout is a
// terminal, else json; $WEBGAMES_OUTPUT): json prints the API's answer as it
// is, table aligned columns or "key: value" lines. Errors go to stderr with
// the API's code, message and field, and the exit status is 1.
//
// Credentials are kept in $WEBGAMES_CREDENTIALS (Default:
// ~/.config/webgames/credentials.json, mode 0600); $WEBGAMES_TOKEN (an API
// key or access token) overrides them.

#include <CLI/CLI.hpp>
#include <boost/json/object.hpp>

#include <string>

namespace webgames::ctl {

enum class Format;

// Adds the subcommands to `ctl`. After parsing, run_ctl() executes the one chosen.
void add_ctl_commands(CLI::App& ctl);
// Lets every subcommand of `ctl` take the options of `ctl` (--output,
// --server) after its own name too. Call after the last subcommand is added.
void accept_options_after_commands(CLI::App& ctl);
// The exit status: 0 on success, 1 when the server refused or could not be
// reached. (Usage errors are CLI11's, reported by main.)
int run_ctl();

// The format --output chose (or the terminal did). After parsing.
Format output_format();
// `given`, else $WEBGAMES_PASSWORD, else a line read from stdin (not echoed on a terminal).
std::string read_password(const std::string& given);
// Prints `body` as --output says: its JSON, or "key: value" lines.
void print_json_or_fields(const boost::json::object& body);

}  // namespace webgames::ctl
