#pragma once
// A player's message budget: at most `per_second` messages a second on
// average, `burst` at once. Counted in ticks, so it is pure and tested
// without a clock: the game server calls tick() once per simulation tick.

namespace arena {

class InputBudget {
 public:
  // REQUIRES: tick_rate >= 1, per_second >= 1, burst >= 1.
  InputBudget(int tick_rate, int per_second = 60, int burst = 20);

  // One tick passed.
  void tick();
  // Spends one message; false when none is left (the message is dropped).
  bool spend();

 private:
  // Credits in 1/tick_rate of a message: a tick adds per_second of them,
  // a message costs tick_rate.
  long long credits_;
  long long cap_;
  int per_tick_;
  int cost_;
};

}  // namespace arena
