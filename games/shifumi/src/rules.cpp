#include "rules.h"

#include <cassert>

namespace shifumi {

std::optional<Move> parse_move(std::string_view text) {
  if (text == "rock") return Move::rock;
  if (text == "paper") return Move::paper;
  if (text == "scissors") return Move::scissors;
  return std::nullopt;
}

std::string_view to_string(Move move) {
  switch (move) {
    case Move::rock:
      return "rock";
    case Move::paper:
      return "paper";
    case Move::scissors:
      return "scissors";
  }
  return "rock";
}

bool beats(Move a, Move b) {
  return (a == Move::rock && b == Move::scissors) || (a == Move::paper && b == Move::rock) ||
         (a == Move::scissors && b == Move::paper);
}

Match::Match(int best_of) : wins_needed_(best_of / 2 + 1), max_rounds_(3 * best_of) {
  assert(best_of >= 1 && best_of % 2 == 1);
}

std::optional<int> Match::winner() const {
  if (!over_ || wins_[0] == wins_[1]) return std::nullopt;
  return wins_[0] > wins_[1] ? 0 : 1;
}

std::optional<Round> Match::play(int seat, Move move) {
  assert(!over_ && (seat == 0 || seat == 1) && !moves_[seat]);
  moves_[seat] = move;
  if (!moves_[0] || !moves_[1]) return std::nullopt;

  Round round{round_, {*moves_[0], *moves_[1]}, std::nullopt};
  if (beats(round.moves[0], round.moves[1])) round.winner = 0;
  if (beats(round.moves[1], round.moves[0])) round.winner = 1;
  if (round.winner) ++wins_[*round.winner];
  moves_ = {};
  over_ = wins_[0] >= wins_needed_ || wins_[1] >= wins_needed_ || round_ >= max_rounds_;
  if (!over_) ++round_;
  return round;
}

}  // namespace shifumi
