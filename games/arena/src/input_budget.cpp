#include "input_budget.h"

#include <algorithm>
#include <cassert>

namespace arena {

InputBudget::InputBudget(int tick_rate, int per_second, int burst)
    : credits_(static_cast<long long>(burst) * tick_rate),
      cap_(static_cast<long long>(burst) * tick_rate),
      per_tick_(per_second),
      cost_(tick_rate) {
  assert(tick_rate >= 1 && per_second >= 1 && burst >= 1);
}

void InputBudget::tick() { credits_ = std::min(cap_, credits_ + per_tick_); }

bool InputBudget::spend() {
  if (credits_ < cost_) return false;
  credits_ -= cost_;
  return true;
}

}  // namespace arena
