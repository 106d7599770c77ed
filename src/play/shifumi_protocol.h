#pragma once
// The Shifumi game server's line protocol, as values (docs: examples/shifumi).
//
// One JSON object per line, at most kMaxLineBytes:
//   client: {"type":"join","token":"<join token>"}
//   server: {"type":"welcome","player":"<id>","name":"...","opponent":...}
//           or {"type":"error","reason":"..."}, then it closes
//   server: {"type":"round","round":n}            client: {"type":"move","move":"rock"}
//   server: {"type":"result","round":n,"moves":{id:move},"winner":id|null,"score":{id:n}}
//   server: {"type":"game_over","winner":id|null,"score":{id:n},"reason":"score"}, then it closes
// and at any time {"type":"error","code":"…","reason":"…"}: before the welcome
// a refusal (then it closes), after it a complaint about the last message.

#include "core/error.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace webgames::play {

inline constexpr std::size_t kMaxLineBytes = 4096;

enum class Move { rock, paper, scissors };

std::string_view to_string(Move move);
// What a player types: r, p, s, rock, paper or scissors, in any case, with
// surrounding spaces. Empty optional for anything else.
std::optional<Move> parse_move(std::string_view input);

using Score = std::map<std::string, std::int64_t>;  // player id -> rounds won

struct Welcome {
  std::string player;    // our player id in this game
  std::string name;      // our display name
  std::string opponent;  // the opponent's name when the server said it; else empty
};
struct RoundStarted {
  std::int64_t round = 0;
};
struct RoundResult {
  std::int64_t round = 0;
  std::map<std::string, std::string> moves;  // player id -> move
  std::optional<std::string> winner;         // empty: a tie
  Score score;
};
struct GameOver {
  std::optional<std::string> winner;  // empty: a draw
  Score score;
  std::string reason;  // how it ended ("score", "forfeit", …); empty when not said
};
// {"type":"error"}: the server refuses the player or complains about a message.
struct ServerError {
  std::string code;  // stable ("join_timeout", "bad_move", …); empty when not said
  std::string reason;
};
// A type this client does not know: skipped.
struct OtherMessage {};

using ServerMessage = std::variant<Welcome, RoundStarted, RoundResult, GameOver, ServerError, OtherMessage>;

// Parses one line (without its newline). invalid_request when it is not a
// JSON object or a known type lacks a field.
Result<ServerMessage> parse_server_message(std::string_view line);

// The lines a client sends, each ending in '\n'.
std::string join_line(std::string_view join_token);
std::string move_line(Move move);

enum class Outcome { win, lose, draw };
std::string_view to_string(Outcome outcome);
// The outcome for player `me` when `winner` won (empty: nobody did).
Outcome outcome_for(const std::optional<std::string>& winner, std::string_view me);

// "2-1": `me`'s score, then the best score among the others.
std::string score_line(const Score& score, std::string_view me);

}  // namespace webgames::play
