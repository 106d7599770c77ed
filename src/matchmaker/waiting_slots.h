#pragma once
// How a QueueMatcher keeps its waiting tickets (matchmaker/queue_matcher.cpp
// only): compact slots in chunks that never move, indexed by skill cell per
// bucket of equal attributes, found by key through an open-addressing map,
// and tried as anchors oldest first: no allocation per ticket, and a search
// reads a small Entry, not the Slot.
// Not thread-safe: the matcher's owner serializes calls.

#include "domain/game.h"
#include "matchmaker/queue_matcher.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <queue>
#include <vector>

namespace webgames::matching {

constexpr std::size_t kMaxRegions = 16;  // distinct regions a queue tells apart; later ones are ignored
constexpr std::size_t kMaxRuleTags = QueueRuleLimits::max_attribute_rules;
constexpr std::uint16_t kNoPing = 0xFFFF;
constexpr std::uint32_t kNone = 0xFFFFFFFF;

// One waiting ticket, compact: names are small indices, values interned.
struct Slot {
  TicketKey key = 0;
  std::int64_t created_ms = 0;
  std::uint64_t seq = 0;   // arrival order: breaks ties of created_ms
  std::int64_t order = 0;  // created_ms then seq, in one number: smaller is older
  double skill = 0;
  std::int32_t cell = 0;  // skill cell in its bucket's indexes
  std::uint32_t bucket = 0;
  std::uint32_t pos = kNone;       // in the bucket's index of all tickets
  std::uint32_t idle_pos = kNone;  // in the bucket's index of resting tickets
  std::uint32_t generation = 0;    // bumped when the slot is freed
  std::array<std::uint16_t, kMaxRegions> ping{};
  std::array<std::uint16_t, kMaxRuleTags> differ{};  // values of the "differ" tags, by rule
  std::uint16_t players = 0;
  bool waiting = false;
  bool active = false;  // queued as an anchor
};

inline bool older(const Slot& a, const Slot& b) { return a.order < b.order; }

// Age order in one comparison: milliseconds then (modulo 2^20) arrival order.
inline std::int64_t order_of(std::int64_t created_ms, std::uint64_t seq) {
  return std::clamp<std::int64_t>(created_ms, 0, std::int64_t{1} << 42) * (std::int64_t{1} << 20) +
         static_cast<std::int64_t>(seq & 0xFFFFF);
}

// What a search reads of a ticket without touching its Slot: a cache miss
// saved per ticket examined.
struct Entry {
  std::uint32_t slot;
  std::uint16_t near;  // regions whose ping is within the first step's limit
  std::uint16_t far;   // regions whose ping is within the last step's limit
  double skill;
  std::int64_t order;
};

// Slots in chunks: growing never moves (nor copies) the slots already there.
class SlotStore {
 public:
  Slot& operator[](std::uint32_t s) { return chunks_[s >> kShift][s & (kChunk - 1)]; }
  const Slot& operator[](std::uint32_t s) const { return chunks_[s >> kShift][s & (kChunk - 1)]; }
  std::uint32_t size() const { return size_; }
  std::uint32_t grow() {
    if ((size_ & (kChunk - 1)) == 0) chunks_.push_back(std::make_unique<Slot[]>(kChunk));
    return size_++;
  }

 private:
  static constexpr std::uint32_t kShift = 12;
  static constexpr std::uint32_t kChunk = 1u << kShift;
  std::vector<std::unique_ptr<Slot[]>> chunks_;
  std::uint32_t size_ = 0;
};

// Slots by skill cell; removal swaps with the last of the cell. Cells left
// empty are dropped in sweeps, once they are many and most of the cells
// (skill is the client's to choose: found by an attacker's audit, every
// cell ever used was kept), not one at a time, which would allocate again
// as a busy cell empties and fills.
class CellIndex {
 public:
  void insert(SlotStore& slots, const Entry& e, std::uint32_t Slot::*pos) {
    auto [it, made] = cells_.try_emplace(slots[e.slot].cell);
    auto& v = it->second;
    if (!made && v.empty()) --empty_cells_;
    slots[e.slot].*pos = static_cast<std::uint32_t>(v.size());
    v.push_back(e);
    ++size_;
  }
  void erase(SlotStore& slots, std::uint32_t s, std::uint32_t Slot::*pos) {
    auto it = cells_.find(slots[s].cell);
    assert(it != cells_.end());
    auto& v = it->second;
    auto p = slots[s].*pos;
    v[p] = v.back();
    slots[v[p].slot].*pos = p;
    v.pop_back();
    slots[s].*pos = kNone;
    --size_;
    if (v.empty() && ++empty_cells_ > kEmptyCellsKept && empty_cells_ > cells_.size() / 2) {
      std::erase_if(cells_, [](const auto& cell) { return cell.second.empty(); });
      empty_cells_ = 0;
    }
  }
  std::size_t size() const { return size_; }
  std::size_t cells() const { return cells_.size(); }  // empty ones not yet swept included

  template <class Visit>
  void for_each(Visit&& visit) const {
    for (const auto& [cell, entries] : cells_)
      for (const auto& e : entries) visit(e);
  }

  // Calls visit(entry) for the entries of cells lo..hi, the cells nearest
  // `center` first, until visit returns false.
  template <class Visit>
  void scan(std::int32_t lo, std::int32_t hi, std::int32_t center, Visit&& visit) const {
    auto right = cells_.lower_bound(center);
    auto left = right;
    bool right_done = right == cells_.end() || right->first > hi;
    bool left_done = left == cells_.begin();
    while (!left_done || !right_done) {
      bool take_right = left_done    ? true
                        : right_done ? false
                                     : static_cast<std::int64_t>(right->first) - center <=
                                           static_cast<std::int64_t>(center) - std::prev(left)->first;
      if (take_right) {
        for (const auto& e : right->second)
          if (!visit(e)) return;
        ++right;
        right_done = right == cells_.end() || right->first > hi;
      } else {
        --left;
        if (left->first < lo) {
          left_done = true;
          continue;
        }
        for (const auto& e : left->second)
          if (!visit(e)) return;
        left_done = left == cells_.begin();
      }
    }
  }

 private:
  static constexpr std::size_t kEmptyCellsKept = 1'024;
  std::map<std::int32_t, std::vector<Entry>> cells_;
  std::size_t size_ = 0;
  std::size_t empty_cells_ = 0;
};

// Ticket key -> slot: open addressing, linear probing, tombstones for
// deleted entries (rebuilt away when they fill a quarter); no allocation per
// ticket (std::unordered_map spends one).
class KeyMap {
 public:
  KeyMap() : table_(16, {0, kNone}) {}
  std::size_t size() const { return size_; }
  bool contains(TicketKey key) const { return find(key) != kNone; }
  std::uint32_t find(TicketKey key) const {
    auto i = locate(key);
    return i == kAbsent ? kNone : table_[i].second;
  }
  // REQUIRES: key absent.
  void insert(TicketKey key, std::uint32_t value) {
    if ((size_ + tombs_ + 1) * 2 > table_.size())
      rebuild(size_ * 4 > table_.size() ? table_.size() * 2 : table_.size());
    auto i = home(key);
    while (table_[i].second != kNone && table_[i].second != kTomb) i = (i + 1) & mask();
    if (table_[i].second == kTomb) --tombs_;
    table_[i] = {key, value};
    ++size_;
  }
  void erase(TicketKey key) {
    auto i = locate(key);
    if (i == kAbsent) return;
    table_[i].second = kTomb;
    --size_;
    ++tombs_;
  }

 private:
  static constexpr std::uint32_t kTomb = kNone - 1;
  static constexpr std::size_t kAbsent = ~std::size_t{0};
  std::size_t mask() const { return table_.size() - 1; }
  // Keys are best dense (a counter): consecutive keys then sit in
  // consecutive entries, and inserting in key order touches memory in order.
  std::size_t home(TicketKey key) const { return static_cast<std::size_t>(key ^ (key >> 32)) & mask(); }
  std::size_t locate(TicketKey key) const {
    for (auto i = home(key);; i = (i + 1) & mask()) {
      if (table_[i].second == kNone) return kAbsent;
      if (table_[i].second != kTomb && table_[i].first == key) return i;
    }
  }
  void rebuild(std::size_t capacity) {
    std::vector<std::pair<TicketKey, std::uint32_t>> old(capacity, {0, kNone});
    old.swap(table_);
    size_ = 0;
    tombs_ = 0;
    for (const auto& [k, v] : old)
      if (v != kNone && v != kTomb) insert(k, v);
  }
  std::vector<std::pair<TicketKey, std::uint32_t>> table_;
  std::size_t size_ = 0;
  std::size_t tombs_ = 0;
};

// Tickets that share the values of every "equal" attribute.
struct Bucket {
  CellIndex all;
  CellIndex idle;  // tried without success, waiting for a reason to try again
};

struct Anchor {
  std::int64_t order;
  std::uint32_t slot;
  std::uint32_t generation;
  bool operator>(const Anchor& o) const { return order > o.order; }
};

// Anchors to try, oldest first. Tickets mostly come in age order: those go
// to a FIFO (O(1)); the others (requeued, woken) to a heap.
class AnchorQueue {
 public:
  bool empty() const { return fifo_.empty() && heap_.empty(); }
  void push(const Anchor& a) {
    if (fifo_.empty() || fifo_.back().order <= a.order)
      fifo_.push_back(a);
    else
      heap_.push(a);
  }
  // REQUIRES: !empty().
  Anchor pop() {
    if (heap_.empty() || (!fifo_.empty() && fifo_.front().order < heap_.top().order)) {
      auto a = fifo_.front();
      fifo_.pop_front();
      return a;
    }
    auto a = heap_.top();
    heap_.pop();
    return a;
  }

 private:
  std::deque<Anchor> fifo_;
  std::priority_queue<Anchor, std::vector<Anchor>, std::greater<>> heap_;
};

}  // namespace webgames::matching
