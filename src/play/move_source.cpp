#include "play/move_source.h"

#include <istream>
#include <ostream>
#include <string>

namespace webgames::play {

Result<Move> PromptedMoves::next_move(std::int64_t round) {
  std::string line;
  for (;;) {
    prompt_ << "round " << round << ", your move (r = rock, p = paper, s = scissors): " << std::flush;
    if (!std::getline(in_, line)) {
      prompt_ << "\n";
      return make_error(Errc::invalid_request, "no more input on stdin (use --auto to play without a keyboard)");
    }
    if (auto move = parse_move(line)) return *move;
    prompt_ << "'" << line.substr(0, 32) << "' is not a move.\n";
  }
}

Result<Move> RandomMoves::next_move(std::int64_t) {
  std::uniform_int_distribution<int> pick(0, 2);
  return static_cast<Move>(pick(engine_));
}

}  // namespace webgames::play
