// The matcher's containers of waiting tickets (matchmaker/waiting_slots.h),
// against the standard containers they replace.
#include "matchmaker/waiting_slots.h"

#include <gtest/gtest.h>

#include <random>
#include <unordered_map>

namespace webgames::matching {
namespace {

TEST(KeyMap, AgreesWithAnUnorderedMapThroughInsertsErasesAndRebuilds) {
  KeyMap map;
  std::unordered_map<TicketKey, std::uint32_t> model;
  std::mt19937_64 random(7);
  TicketKey next = 1;
  for (int step = 0; step < 200'000; ++step) {
    if (model.empty() || random() % 3 != 0) {
      // Mostly dense keys, as a counter gives them; sometimes far ones.
      auto key = random() % 10 == 0 ? random() : next++;
      if (model.count(key)) continue;
      auto value = static_cast<std::uint32_t>(step);
      map.insert(key, value);
      model[key] = value;
    } else {
      auto it = std::next(model.begin(), static_cast<long>(random() % std::min<std::size_t>(model.size(), 64)));
      map.erase(it->first);
      model.erase(it);
    }
  }
  EXPECT_EQ(map.size(), model.size());
  for (const auto& [key, value] : model) ASSERT_EQ(map.find(key), value) << key;
  EXPECT_FALSE(map.contains(next));
  map.erase(next);  // absent: nothing happens
  EXPECT_EQ(map.size(), model.size());
}

TEST(AnchorQueue, PopsOldestFirstWhetherTheyCameInOrderOrNot) {
  AnchorQueue queue;
  for (std::int64_t order : {10, 20, 5, 30, 15, 25, 1}) queue.push({order, 0, 0});
  std::vector<std::int64_t> popped;
  while (!queue.empty()) popped.push_back(queue.pop().order);
  EXPECT_EQ(popped, (std::vector<std::int64_t>{1, 5, 10, 15, 20, 25, 30}));
}

TEST(CellIndex, ScansTheCellsNearestTheCenterFirstWithinTheBounds) {
  SlotStore slots;
  CellIndex index;
  for (std::int32_t cell : {0, 3, 4, 6, 9, 12}) {
    auto s = slots.grow();
    slots[s].cell = cell;
    index.insert(slots, Entry{s, 0, 0, 0.0, cell}, &Slot::pos);
  }
  std::vector<std::int32_t> seen;
  index.scan(2, 9, 5, [&](const Entry& e) {
    seen.push_back(slots[e.slot].cell);
    return true;
  });
  EXPECT_EQ(seen, (std::vector<std::int32_t>{6, 4, 3, 9}));
  index.erase(slots, 1, &Slot::pos);  // cell 3
  EXPECT_EQ(index.size(), 5u);
  seen.clear();
  index.scan(2, 9, 5, [&](const Entry& e) {
    seen.push_back(slots[e.slot].cell);
    return seen.size() < 2;  // stops when told
  });
  EXPECT_EQ(seen, (std::vector<std::int32_t>{6, 4}));
}

// Found by an attacker's audit: a ticket's skill picks its cell, and every
// cell ever used was kept. Tickets of ever new skills, each gone before the
// next, now leave a bounded number of cells, and the index still finds
// what waits.
TEST(CellIndex, CellsLeftEmptyAreSweptAway) {
  SlotStore slots;
  CellIndex index;
  auto kept = slots.grow();
  slots[kept].cell = -5;
  index.insert(slots, Entry{kept, 0, 0, 0.0, -5}, &Slot::pos);
  for (std::int32_t cell = 0; cell < 100'000; ++cell) {
    auto s = slots.grow();
    slots[s].cell = cell;
    index.insert(slots, Entry{s, 0, 0, 0.0, cell}, &Slot::pos);
    index.erase(slots, s, &Slot::pos);
  }
  EXPECT_LE(index.cells(), 2'100u);
  EXPECT_EQ(index.size(), 1u);
  std::vector<std::uint32_t> seen;
  index.scan(-10, 10, 0, [&](const Entry& e) {
    seen.push_back(e.slot);
    return true;
  });
  EXPECT_EQ(seen, (std::vector<std::uint32_t>{kept}));
}

// A cell emptied and filled again counts as used: 1 000 cells emptied and
// filled, then 1 000 others emptied, leave 1 000 empty ones of 3 000, under
// the sweep's threshold (1 024, and half the cells). Counted as 2 000, they
// would have been swept.
TEST(CellIndex, ACellFilledAgainIsNotCountedEmpty) {
  SlotStore slots;
  CellIndex index;
  std::vector<std::uint32_t> slot_of_cell;
  for (std::int32_t cell = 0; cell < 3'000; ++cell) {
    auto s = slots.grow();
    slots[s].cell = cell;
    index.insert(slots, Entry{s, 0, 0, 0.0, cell}, &Slot::pos);
    slot_of_cell.push_back(s);
  }
  for (std::int32_t cell = 0; cell < 1'000; ++cell) index.erase(slots, slot_of_cell[cell], &Slot::pos);
  for (std::int32_t cell = 0; cell < 1'000; ++cell)
    index.insert(slots, Entry{slot_of_cell[cell], 0, 0, 0.0, cell}, &Slot::pos);
  for (std::int32_t cell = 1'000; cell < 2'000; ++cell) index.erase(slots, slot_of_cell[cell], &Slot::pos);
  EXPECT_EQ(index.cells(), 3'000u) << "swept though only 1 000 cells were empty";
  EXPECT_EQ(index.size(), 2'000u);
}

}  // namespace
}  // namespace webgames::matching
