#pragma once
// `webgames play GAME`: play a game from the terminal, as a guest.
//
//   webgames play shifumi [--queue duel] [--server URL] [--as NAME] [--auto] [--timeout-s 120]
//
// Logs in as the guest of this terminal (play/guest_identity.h), opens the
// events stream, queues, waits for a match and its game server, and plays
// on it: moves from stdin, or random ones with --auto. The game server must
// speak the Shifumi line protocol (play/shifumi_protocol.h). When a session
// fails and the server re-queues the player, it waits again (--timeout-s
// counts afresh).
//
// Progress goes to stdout, one line per step; the last line is
// "result: win", "result: lose" or "result: draw". Errors go to stderr as
// "error: …". Exit status: 0 when the game was played to its end, 1 on an
// error (refused, no match within --timeout-s, session failed, connection
// lost), 130 when interrupted (Ctrl-C, SIGTERM). A ticket still queued is
// cancelled before leaving.

#include <CLI/CLI.hpp>

namespace webgames::play {

// Adds the options and arguments to `play`. After parsing, run_play() plays.
void add_play_command(CLI::App& play);
// Plays the game parsed into `play`; returns the exit status.
int run_play();

}  // namespace webgames::play
