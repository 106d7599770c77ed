#pragma once
// Where a player's moves come from: a person at the terminal, or chance.

#include "core/error.h"
#include "play/shifumi_protocol.h"

#include <cstdint>
#include <iosfwd>
#include <random>

namespace webgames::play {

class MoveSource {
 public:
  virtual ~MoveSource() = default;
  // The move for `round` (1-based). An Error ends the game: no more input.
  virtual Result<Move> next_move(std::int64_t round) = 0;
};

// Asks on `prompt` and reads a line of `in` per round; asks again on anything
// but r/p/s or rock/paper/scissors. invalid_request when `in` ends (or a
// signal interrupts the read): the player gave no move.
class PromptedMoves final : public MoveSource {
 public:
  PromptedMoves(std::istream& in, std::ostream& prompt) : in_(in), prompt_(prompt) {}
  Result<Move> next_move(std::int64_t round) override;

 private:
  std::istream& in_;
  std::ostream& prompt_;
};

// Uniformly random moves; the same seed plays the same game.
class RandomMoves final : public MoveSource {
 public:
  explicit RandomMoves(std::uint64_t seed) : engine_(seed) {}
  Result<Move> next_move(std::int64_t round) override;

 private:
  std::mt19937_64 engine_;
};

}  // namespace webgames::play
