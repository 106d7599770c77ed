#pragma once
// The rules of Shifumi (rock-paper-scissors), best of N, between two seats
// numbered 0 and 1. Pure: no I/O, no clock, so every rule is tested directly.

#include <array>
#include <optional>
#include <string_view>

namespace shifumi {

enum class Move { rock, paper, scissors };

// "rock", "paper" or "scissors"; empty for anything else.
std::optional<Move> parse_move(std::string_view text);
std::string_view to_string(Move move);
// true when `a` beats `b`.
bool beats(Move a, Move b);

// One round played: both moves and who won it (empty on a draw).
struct Round {
  int number = 0;
  std::array<Move, 2> moves{};
  std::optional<int> winner;
};

// First to best_of/2+1 round wins. A draw round is replayed, and counts
// towards a cap of 3 × best_of rounds; at the cap the higher score wins, or
// the match is a draw.
class Match {
 public:
  // REQUIRES: best_of is odd and at least 1.
  explicit Match(int best_of = 3);

  int round() const { return round_; }  // the round being played, from 1
  bool has_moved(int seat) const { return moves_[seat].has_value(); }
  int wins(int seat) const { return wins_[seat]; }
  int wins_needed() const { return wins_needed_; }
  int max_rounds() const { return max_rounds_; }
  bool over() const { return over_; }
  // Who won the match; empty while playing and for a draw.
  std::optional<int> winner() const;

  // Records `seat`'s move; once both seats have moved, settles the round and
  // returns it. REQUIRES: !over(), !has_moved(seat), seat is 0 or 1.
  std::optional<Round> play(int seat, Move move);

 private:
  int wins_needed_;
  int max_rounds_;
  int round_ = 1;
  bool over_ = false;
  std::array<int, 2> wins_{};
  std::array<std::optional<Move>, 2> moves_{};
};

}  // namespace shifumi
