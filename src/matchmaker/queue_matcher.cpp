#include "matchmaker/queue_matcher.h"

#include "matchmaker/waiting_slots.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <queue>
#include <unordered_map>

namespace webgames {
namespace {

using namespace matching;
using std::chrono::milliseconds;

constexpr double kNoLimit = std::numeric_limits<double>::infinity();
constexpr std::size_t kWaitSamples = 4096;
constexpr std::size_t kQualitySamples = 1024;
constexpr milliseconds kDefaultBelowAfter{10'000};  // when the spec leaves it to the installation

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using InternMap = std::unordered_map<std::string, std::uint16_t, StringHash, std::equal_to<>>;

struct Wake {
  std::int64_t at_ms;
  std::uint32_t slot;
  std::uint32_t generation;
  bool operator>(const Wake& o) const { return at_ms > o.at_ms; }
};

// A ticket placed in a team by the packer.
struct Placed {
  std::uint32_t slot;
  int team;
};

std::int64_t ms_of(TimePoint t) { return t.time_since_epoch().count(); }

}  // namespace

class QueueMatcher::Impl {
 public:
  Impl(QueueSpec spec, MatcherOptions options) : spec_(std::move(spec)), options_(options) {
    const auto& r = spec_.rules;
    teams_ = spec_.teams;
    team_max_ = spec_.team_size;
    team_min_ = std::max(0, r.min_team_size);
    max_players_ = r.max_players > 0 ? r.max_players : teams_ * team_max_;
    min_players_ = spec_.min_players > 0 ? spec_.min_players : max_players_;
    for (const auto& a : r.attributes) {
      if (a.must == AttributeMust::equal)
        equal_tags_.push_back(a.tag);
      else
        differ_tags_.push_back(a.tag);
    }
    equal_values_.resize(equal_tags_.size());
    differ_values_.resize(differ_tags_.size());
    for (auto& m : equal_values_) m.emplace("", 0);
    for (auto& m : differ_values_) m.emplace("", 0);
    below_after_ = r.start_below_max_after.value_or(kDefaultBelowAfter);
    skill_on_ = r.skill.enabled();
    latency_on_ = r.latency.enabled();
    widest_skill_ = skill_on_ ? r.skill.window.back().value : 0;
    widest_ping_ = latency_on_ ? r.latency.max_ping.back().value : 0;
    // Cells narrow enough that the first window spans a few of them, wide
    // enough that the widest spans at most ~64.
    if (skill_on_) cell_width_ = std::max({r.skill.window.front().value / 2, widest_skill_ / 64, 1e-3});
  }

  const QueueSpec& spec() const { return spec_; }

  Result<void> add(const MatchTicket& t) {
    if (t.players < 1 || t.players > std::min(team_max_, max_players_))
      return make_error(
          Errc::invalid_field,
          fmt::format("a party of {} does not fit teams of {} in matches of {}", t.players, team_max_, max_players_),
          "party");
    if (slot_of_.contains(t.key)) return make_error(Errc::conflict, "this ticket is waiting already", "ticket");
    if (slot_of_.size() >= options_.max_tickets)
      return make_error(Errc::unavailable, "this queue is full; try again shortly", "queue");
    std::uint64_t bucket_key = 0;
    std::array<std::uint16_t, kMaxRuleTags> differ{};
    for (std::size_t i = 0; i < equal_tags_.size(); ++i) {
      auto id = intern(equal_values_[i], tag_of(t, equal_tags_[i]));
      if (!id) return too_many_values(equal_tags_[i]);
      bucket_key |= static_cast<std::uint64_t>(*id) << (16 * i);
    }
    for (std::size_t i = 0; i < differ_tags_.size(); ++i) {
      auto id = intern(differ_values_[i], tag_of(t, differ_tags_[i]));
      if (!id) return too_many_values(differ_tags_[i]);
      differ[i] = *id;
    }

    std::uint32_t s;
    if (!free_.empty()) {
      s = free_.back();
      free_.pop_back();
    } else {
      s = slots_.grow();
    }
    auto& slot = slots_[s];
    auto generation = slot.generation;
    slot = Slot{};
    slot.generation = generation;
    slot.key = t.key;
    slot.created_ms = ms_of(t.created_at);
    slot.seq = next_seq_++;
    slot.order = order_of(slot.created_ms, slot.seq);
    slot.skill = skill_on_ ? t.skill : 0;
    slot.cell = cell_of(slot.skill);
    slot.players = static_cast<std::uint16_t>(t.players);
    slot.differ = differ;
    slot.ping.fill(kNoPing);
    for (const auto& p : t.pings) {
      auto r = region_index(p.region);
      if (r != kNone) slot.ping[r] = static_cast<std::uint16_t>(std::clamp(p.ms, 0, 0xFFFE));
    }
    auto [b, inserted] = bucket_of_.try_emplace(bucket_key, static_cast<std::uint32_t>(buckets_.size()));
    if (inserted) buckets_.emplace_back();
    slot.bucket = b->second;
    slot.waiting = true;
    buckets_[slot.bucket].all.insert(slots_, entry_of(s), &Slot::pos);
    slot_of_.insert(t.key, s);
    waiting_players_ += slot.players;
    ++created_seconds_[slot.created_ms / 1000];
    arrivals_.push_back({s, slot.generation});
    activate(s);
    return {};
  }

  bool remove(TicketKey key) {
    auto s = slot_of_.find(key);
    if (s == kNone) return false;
    release(s);
    return true;
  }

  bool contains(TicketKey key) const { return slot_of_.contains(key); }
  std::size_t waiting() const { return slot_of_.size(); }

  Result<void> request_backfill(BackfillRequest r) {
    if (r.team < 0 || r.team >= teams_)
      return make_error(Errc::invalid_field, fmt::format("team must be between 0 and {}", teams_ - 1), "team");
    if (r.players < 1 || r.players > team_max_)
      return make_error(Errc::invalid_field, fmt::format("players must be between 1 and {}", team_max_), "players");
    if (backfills_.size() >= options_.max_backfills)
      return make_error(Errc::unavailable, "too many backfill requests are pending; try again shortly", "backfill");
    for (const auto& b : backfills_)
      if (b.key == r.key) return make_error(Errc::conflict, "this backfill request is pending already", "backfill");
    backfills_.push_back(std::move(r));
    return {};
  }

  bool cancel_backfill(BackfillKey key) {
    auto it = std::find_if(backfills_.begin(), backfills_.end(), [&](const auto& b) { return b.key == key; });
    if (it == backfills_.end()) return false;
    backfills_.erase(it);
    return true;
  }

  MatchRound match(TimePoint now) {
    MatchRound round;
    auto now_ms = ms_of(now);
    fill_backfills(now_ms, round);
    while (!wakes_.empty() && wakes_.top().at_ms <= now_ms) {
      auto w = wakes_.top();
      wakes_.pop();
      if (valid(w.slot, w.generation) && slots_[w.slot].idle_pos != kNone) activate(w.slot);
    }
    wake_for_arrivals(now_ms);
    std::size_t tried = 0;
    while (!anchors_.empty() && tried < options_.max_anchors_per_round) {
      auto a = anchors_.pop();
      if (!valid(a.slot, a.generation) || !slots_[a.slot].active) continue;
      slots_[a.slot].active = false;
      ++tried;
      if (auto m = try_anchor(a.slot, now_ms)) {
        round.matches.push_back(std::move(*m));
      } else {
        rest(a.slot, now_ms);
      }
    }
    return round;
  }

  std::size_t visit_waiting(TimePoint now, std::size_t limit,
                            const std::function<void(const WaitingTicket&)>& visit) const {
    auto now_ms = ms_of(now);
    std::size_t visited = 0;
    for (const auto& bucket : buckets_) {
      if (visited >= limit) break;
      bucket.all.for_each([&](const Entry& e) {
        if (visited >= limit) return;
        const Slot& slot = slots_[e.slot];
        WaitingTicket t;
        t.players = slot.players;
        t.skill = slot.skill;
        t.waited = milliseconds(std::max<std::int64_t>(0, now_ms - slot.created_ms));
        for (std::size_t r = 0; r < region_names_.size() && r < kMaxRegions; ++r)
          if (slot.ping[r] != kNoPing && (t.region.empty() || slot.ping[r] < t.ping_ms)) {
            t.region = region_names_[r];
            t.ping_ms = slot.ping[r];
          }
        visit(t);
        ++visited;
      });
    }
    return visited;
  }

  QueueStats stats(TimePoint now) const {
    auto now_ms = ms_of(now);
    QueueStats st;
    st.waiting_tickets = slot_of_.size();
    st.waiting_players = waiting_players_;
    if (!created_seconds_.empty())
      st.oldest_wait = milliseconds(std::max<std::int64_t>(0, now_ms - created_seconds_.begin()->first * 1000));
    std::uint64_t recent = 0;
    for (const auto& [second, count] : matches_per_second_)
      if (second > now_ms / 1000 - 60 && second <= now_ms / 1000) recent += count;
    st.matches_per_minute = static_cast<double>(recent);
    if (!wait_samples_.empty()) {
      auto sorted = wait_samples_;
      std::sort(sorted.begin(), sorted.end());
      auto at = [&](double q) {  // nearest rank
        auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
        return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
      };
      st.p50_wait = milliseconds(at(0.50));
      st.p95_wait = milliseconds(at(0.95));
    }
    if (!quality_samples_.empty()) {
      double sum = 0;
      for (double q : quality_samples_) sum += q;
      st.mean_quality = sum / static_cast<double>(quality_samples_.size());
    }
    st.pending_backfills = backfills_.size();
    return st;
  }

 private:
  static std::string_view tag_of(const MatchTicket& t, std::string_view name) {
    for (const auto& tag : t.tags)
      if (tag.name == name) return tag.value;
    return {};
  }

  static std::optional<std::uint16_t> intern(InternMap& values, std::string_view v) {
    if (auto it = values.find(v); it != values.end()) return it->second;
    if (values.size() >= 0xFFFF) return std::nullopt;
    auto id = static_cast<std::uint16_t>(values.size());
    values.emplace(std::string(v), id);
    return id;
  }

  static std::optional<std::uint16_t> lookup(const InternMap& values, std::string_view v) {
    if (auto it = values.find(v); it != values.end()) return it->second;
    return std::nullopt;
  }

  static Error too_many_values(const std::string& tag) {
    return make_error(Errc::unavailable, fmt::format("this queue holds too many distinct values of {}", tag), "tags");
  }

  std::uint32_t region_index(std::string_view name) {
    if (auto it = regions_.find(name); it != regions_.end()) return it->second;
    if (region_names_.size() >= kMaxRegions) return kNone;
    auto id = static_cast<std::uint16_t>(region_names_.size());
    region_names_.emplace_back(name);
    regions_.emplace(std::string(name), id);
    return id;
  }

  std::int32_t cell_of(double skill) const {
    if (!skill_on_) return 0;
    auto c = std::floor(skill / cell_width_);
    return static_cast<std::int32_t>(std::clamp(c, -2e9, 2e9));
  }

  Entry entry_of(std::uint32_t s) const {
    const auto& slot = slots_[s];
    Entry e{s, 0, 0, slot.skill, slot.order};
    if (latency_on_) {
      auto first = spec_.rules.latency.max_ping.front().value;
      for (std::uint32_t r = 0; r < kMaxRegions; ++r) {
        if (slot.ping[r] == kNoPing) continue;
        if (slot.ping[r] <= first) e.near |= static_cast<std::uint16_t>(1u << r);
        if (slot.ping[r] <= widest_ping_) e.far |= static_cast<std::uint16_t>(1u << r);
      }
    }
    return e;
  }

  bool valid(std::uint32_t s, std::uint32_t generation) const {
    return s < slots_.size() && slots_[s].generation == generation && slots_[s].waiting;
  }

  void activate(std::uint32_t s) {
    auto& slot = slots_[s];
    if (slot.idle_pos != kNone) buckets_[slot.bucket].idle.erase(slots_, s, &Slot::idle_pos);
    if (slot.active) return;
    slot.active = true;
    anchors_.push({slot.order, s, slot.generation});
  }

  // Tried without success: rests until a window of its own widens (a wake
  // is scheduled) or a ticket arrives within its window.
  void rest(std::uint32_t s, std::int64_t now_ms) {
    auto& slot = slots_[s];
    buckets_[slot.bucket].idle.insert(slots_, entry_of(s), &Slot::idle_pos);
    auto waited = milliseconds(now_ms - slot.created_ms);
    std::optional<milliseconds> next;
    auto consider = [&](std::optional<milliseconds> m) {
      if (m && (!next || *m < *next)) next = m;
    };
    if (skill_on_) consider(next_step_after(spec_.rules.skill.window, waited));
    if (latency_on_) consider(next_step_after(spec_.rules.latency.max_ping, waited));
    if (min_players_ < max_players_ && waited < below_after_) consider(below_after_);
    if (next) wakes_.push({slot.created_ms + next->count(), s, slot.generation});
  }

  struct Limits {
    double skill;
    double ping;
    bool below_ok;
  };
  Limits limits_after(milliseconds waited) const {
    return {skill_on_ ? window_at(spec_.rules.skill.window, waited) : kNoLimit,
            latency_on_ ? window_at(spec_.rules.latency.max_ping, waited) : kNoLimit,
            min_players_ < max_players_ && waited >= below_after_};
  }

  bool differs(const Slot& a, const Slot& b) const {
    if (differ_tags_.empty()) return true;
    for (std::size_t i = 0; i < differ_tags_.size(); ++i)
      if (a.differ[i] == b.differ[i]) return false;
    return true;
  }

  // Wakes the resting tickets for which an arrival since the last round may
  // complete a match: older than it, and it within their windows. Per bucket,
  // the cheaper way round: each arrival looks for resting tickets, or (many
  // arrivals) each resting ticket looks among the arrivals sorted by skill.
  void wake_for_arrivals(std::int64_t now_ms) {
    struct Arrival {
      std::uint32_t bucket;
      std::uint32_t slot;
      double skill;
    };
    std::vector<Arrival> live;
    for (auto [s, generation] : arrivals_)
      if (valid(s, generation) && buckets_[slots_[s].bucket].idle.size() > 0)
        live.push_back({slots_[s].bucket, s, slots_[s].skill});
    arrivals_.clear();
    if (live.empty()) return;
    std::sort(live.begin(), live.end(), [](const Arrival& a, const Arrival& b) {
      return a.bucket != b.bucket ? a.bucket < b.bucket : a.skill < b.skill;
    });
    std::vector<std::uint32_t> group;
    for (std::size_t i = 0; i < live.size();) {
      auto bucket = live[i].bucket;
      group.clear();
      for (; i < live.size() && live[i].bucket == bucket; ++i) group.push_back(live[i].slot);
      if (group.size() * 16 < buckets_[bucket].idle.size()) {
        for (auto x : group) wake_resting_for(x, now_ms);
      } else {
        wake_resting_among(bucket, group, now_ms);
      }
    }
  }

  // Whether resting `p` may anchor a match with arrival `x` (p older).
  bool may_complete(const Slot& ps, const Slot& xs, const Limits& lim) const {
    if (!differs(ps, xs)) return false;
    if (!latency_on_) return true;
    for (std::size_t r = 0; r < kMaxRegions; ++r)
      if (ps.ping[r] != kNoPing && ps.ping[r] <= lim.ping && xs.ping[r] != kNoPing && xs.ping[r] <= lim.ping)
        return true;
    return false;
  }

  // `arrivals` sorted by skill, all of `bucket`.
  void wake_resting_among(std::uint32_t bucket, std::span<const std::uint32_t> arrivals, std::int64_t now_ms) {
    std::vector<std::uint32_t> wake;
    buckets_[bucket].idle.for_each([&](const Entry& e) {
      auto lim = limits_after(milliseconds(now_ms - (e.order >> 20)));
      auto from = std::lower_bound(arrivals.begin(), arrivals.end(), e.skill - lim.skill,
                                   [&](std::uint32_t x, double v) { return slots_[x].skill < v; });
      std::size_t checked = 0;
      for (auto it = from; it != arrivals.end() && slots_[*it].skill <= e.skill + lim.skill; ++it) {
        if (++checked > options_.wake_limit) break;
        const auto& xs = slots_[*it];
        if (xs.order > e.order && may_complete(slots_[e.slot], xs, lim)) {
          wake.push_back(e.slot);
          break;
        }
      }
    });
    for (auto p : wake) activate(p);
  }

  // Wakes resting tickets older than the arrival `x` whose windows hold it:
  // a match anchored on one of them may now exist.
  void wake_resting_for(std::uint32_t x, std::int64_t now_ms) {
    const auto& xs = slots_[x];
    auto& idle = buckets_[xs.bucket].idle;
    if (idle.size() == 0) return;
    double reach = skill_on_ ? widest_skill_ : kNoLimit;
    auto lo = skill_on_ ? cell_of(xs.skill - reach) : 0;
    auto hi = skill_on_ ? cell_of(xs.skill + reach) : 0;
    std::size_t visited = 0;
    std::vector<std::uint32_t> wake;
    idle.scan(lo, hi, xs.cell, [&](const Entry& e) {
      if (++visited > options_.wake_limit) return false;
      auto p = e.slot;
      if (e.order >= xs.order) return true;
      auto lim = limits_after(milliseconds(now_ms - (e.order >> 20)));
      if (std::abs(e.skill - xs.skill) > lim.skill || !may_complete(slots_[p], xs, lim)) return true;
      wake.push_back(p);
      return true;
    });
    for (auto p : wake) activate(p);
  }

  // ---- forming a match around an anchor

  std::optional<FormedMatch> try_anchor(std::uint32_t a, std::int64_t now_ms) {
    const auto& as = slots_[a];
    auto waited = milliseconds(now_ms - as.created_ms);
    auto lim = limits_after(waited);
    std::vector<std::uint32_t> regions;  // allowed for the anchor, lowest ping first
    if (latency_on_) {
      for (std::uint32_t r = 0; r < kMaxRegions; ++r)
        if (as.ping[r] != kNoPing && as.ping[r] <= lim.ping) regions.push_back(r);
      if (regions.empty()) return std::nullopt;
      std::sort(regions.begin(), regions.end(), [&](auto x, auto y) { return as.ping[x] < as.ping[y]; });
    }
    // A few candidates first; all `candidates` only when the few did not do.
    std::size_t few = std::min<std::size_t>(options_.candidates, 3 * static_cast<std::size_t>(max_players_) + 2);
    for (std::size_t limit : {few, options_.candidates}) {
      bool complete = gather(a, lim, regions, limit);
      auto result = place_in_some_region(a, cands_, lim, regions);
      if (result) return finish(std::move(*result), a, lim, now_ms);
      if (complete || limit == options_.candidates) break;
    }
    return std::nullopt;
  }

  // Candidates for a match anchored on `a`, into cands_: younger tickets of
  // its bucket within its windows, nearest in skill first. True when none
  // was left out for the limit.
  bool gather(std::uint32_t a, const Limits& lim, const std::vector<std::uint32_t>& regions, std::size_t limit) {
    const auto& as = slots_[a];
    auto& found = found_;
    found.clear();
    bool complete = true;
    std::size_t visited = 0;
    auto lo = skill_on_ ? cell_of(as.skill - lim.skill) : 0;
    auto hi = skill_on_ ? cell_of(as.skill + lim.skill) : 0;
    std::uint16_t allowed = 0;
    for (auto r : regions) allowed |= static_cast<std::uint16_t>(1u << r);
    bool near_limit = latency_on_ && lim.ping <= spec_.rules.latency.max_ping.front().value;
    buckets_[as.bucket].all.scan(lo, hi, as.cell, [&](const Entry& e) {
      if (++visited > options_.scan_limit) {
        complete = false;
        return false;
      }
      if (e.order <= as.order || std::abs(e.skill - as.skill) > lim.skill) return true;
      if (latency_on_ && ((near_limit ? e.near : e.far) & allowed) == 0) return true;
      auto c = e.slot;
      const auto& cs = slots_[c];
      if (!differs(as, cs)) return true;
      if (latency_on_ && !near_limit) {
        bool ok = false;
        for (auto r : regions) ok = ok || (cs.ping[r] != kNoPing && cs.ping[r] <= lim.ping);
        if (!ok) return true;
      }
      if (found.size() == limit) {
        complete = false;
        return false;
      }
      found.push_back(e);
      return true;
    });
    // Entries carry skill and age: sorting them reads no Slot.
    std::sort(found.begin(), found.end(), [&](const Entry& x, const Entry& y) {
      auto dx = std::abs(x.skill - as.skill), dy = std::abs(y.skill - as.skill);
      return dx != dy ? dx < dy : x.order < y.order;
    });
    cands_.resize(found.size());
    for (std::size_t k = 0; k < found.size(); ++k) cands_[k] = found[k].slot;
    return complete;
  }

  struct Placement {
    std::vector<Placed> placed;
    std::uint32_t region = kNone;
  };

  std::optional<Placement> place_in_some_region(std::uint32_t a, const std::vector<std::uint32_t>& cands,
                                                const Limits& lim, const std::vector<std::uint32_t>& regions) {
    if (!latency_on_) {
      auto placed = pack(a, cands, lim.below_ok);
      if (!placed) return std::nullopt;
      return Placement{std::move(*placed), kNone};
    }
    auto& here = here_;
    for (auto r : regions) {
      here.clear();
      for (auto c : cands)
        if (slots_[c].ping[r] != kNoPing && slots_[c].ping[r] <= lim.ping) here.push_back(c);
      if (auto placed = pack(a, here, lim.below_ok)) return Placement{std::move(*placed), r};
    }
    return std::nullopt;
  }

  // Places the anchor and some of `cands` in teams: a full match if one
  // exists, else (when `below_ok`) the largest with at least min_players.
  // Greedy first, then an exhaustive search bounded by pack_budget.
  std::optional<std::vector<Placed>> pack(std::uint32_t a, const std::vector<std::uint32_t>& cands, bool below_ok) {
    std::vector<int> fill(static_cast<std::size_t>(teams_), 0);
    std::vector<Placed> placed{{a, 0}};
    fill[0] = slots_[a].players;
    int total = fill[0];
    for (auto c : cands) {
      if (total == max_players_) break;
      int p = slots_[c].players;
      if (total + p > max_players_ || !differs_from_all(c, placed)) continue;
      int best = -1;
      for (int t = 0; t < teams_; ++t)
        if (fill[t] + p <= team_max_ && (best < 0 || fill[t] < fill[best])) best = t;
      if (best < 0) continue;
      placed.push_back({c, best});
      fill[best] += p;
      total += p;
    }
    auto teams_ok = [&](const std::vector<int>& f) {
      return std::all_of(f.begin(), f.end(), [&](int n) { return n >= team_min_; });
    };
    if (total == max_players_ && teams_ok(fill)) return placed;

    Search search{cands, {}, fill, {}, {}, 0, 0, false};
    search.suffix.assign(cands.size() + 1, 0);
    for (std::size_t i = cands.size(); i-- > 0;) search.suffix[i] = search.suffix[i + 1] + slots_[cands[i]].players;
    std::fill(search.fill.begin(), search.fill.end(), 0);
    search.fill[0] = slots_[a].players;
    search.placed = {{a, 0}};
    search.total = search.fill[0];
    if (below_ok && total >= min_players_ && teams_ok(fill)) {
      search.best = placed;
      search.best_total = total;
    }
    dfs(search, 0, below_ok);
    if (search.found_full || (below_ok && search.best_total >= min_players_)) return search.best;
    return std::nullopt;
  }

  struct Search {
    const std::vector<std::uint32_t>& cands;
    std::vector<int> suffix;  // players of cands[i..]
    std::vector<int> fill;
    std::vector<Placed> placed;
    std::vector<Placed> best;
    int total;
    int best_total;
    bool found_full;
    std::size_t steps = 0;
  };

  bool differs_from_all(std::uint32_t c, const std::vector<Placed>& placed) const {
    if (differ_tags_.empty()) return true;
    for (const auto& p : placed)
      if (!differs(slots_[c], slots_[p.slot])) return false;
    return true;
  }

  // Returns true to stop (a full match found or the budget spent).
  bool dfs(Search& s, std::size_t i, bool below_ok) {
    if (++s.steps > options_.pack_budget) return true;
    bool teams_ok = std::all_of(s.fill.begin(), s.fill.end(), [&](int n) { return n >= team_min_; });
    if (teams_ok && s.total == max_players_) {
      s.best = s.placed;
      s.best_total = s.total;
      s.found_full = true;
      return true;
    }
    if (below_ok && teams_ok && s.total >= min_players_ && s.total > s.best_total) {
      s.best = s.placed;
      s.best_total = s.total;
    }
    if (i == s.cands.size()) return false;
    int need = below_ok ? std::max(min_players_, s.best_total + 1) : max_players_;
    if (s.total + s.suffix[i] < need) return false;
    auto c = s.cands[i];
    int p = slots_[c].players;
    if (s.total + p <= max_players_ && differs_from_all(c, s.placed)) {
      bool empty_tried = false;  // empty teams are interchangeable: try one
      for (int t = 0; t < teams_; ++t) {
        if (s.fill[t] + p > team_max_) continue;
        if (s.fill[t] == 0) {
          if (empty_tried) continue;
          empty_tried = true;
        }
        s.fill[t] += p;
        s.total += p;
        s.placed.push_back({c, t});
        if (dfs(s, i + 1, below_ok)) return true;
        s.placed.pop_back();
        s.fill[t] -= p;
        s.total -= p;
      }
    }
    return dfs(s, i + 1, below_ok);
  }

  // Moves and swaps tickets between teams while that lowers the gap between
  // the highest and lowest team skill sums (sizes stay within the limits).
  void balance(std::vector<Placed>& placed) const {
    std::vector<double> sum(static_cast<std::size_t>(teams_), 0);
    std::vector<int> fill(static_cast<std::size_t>(teams_), 0);
    for (const auto& p : placed) {
      sum[p.team] += slots_[p.slot].skill * slots_[p.slot].players;
      fill[p.team] += slots_[p.slot].players;
    }
    auto gap = [&] {
      auto [lo, hi] = std::minmax_element(sum.begin(), sum.end());
      return *hi - *lo;
    };
    auto fits = [&](int team, int delta) { return fill[team] + delta >= team_min_ && fill[team] + delta <= team_max_; };
    for (int pass = 0; pass < 32; ++pass) {
      double current = gap();
      double best_gap = current;
      std::size_t bi = 0, bj = 0;
      int move_to = -1;
      bool swap = false;
      for (std::size_t i = 0; i < placed.size(); ++i) {
        const auto& si = slots_[placed[i].slot];
        double wi = si.skill * si.players;
        int ti = placed[i].team;
        for (int t = 0; t < teams_; ++t) {  // move i to t
          if (t == ti || !fits(ti, -si.players) || !fits(t, si.players)) continue;
          sum[ti] -= wi, sum[t] += wi;
          if (double g = gap(); g < best_gap - 1e-9) best_gap = g, bi = i, move_to = t, swap = false;
          sum[ti] += wi, sum[t] -= wi;
        }
        for (std::size_t j = i + 1; j < placed.size(); ++j) {  // swap i and j
          int tj = placed[j].team;
          if (tj == ti) continue;
          const auto& sj = slots_[placed[j].slot];
          int d = sj.players - si.players;
          if (!fits(ti, d) || !fits(tj, -d)) continue;
          double wj = sj.skill * sj.players;
          sum[ti] += wj - wi, sum[tj] += wi - wj;
          if (double g = gap(); g < best_gap - 1e-9) best_gap = g, bi = i, bj = j, swap = true, move_to = -1;
          sum[ti] -= wj - wi, sum[tj] -= wi - wj;
        }
      }
      if (best_gap >= current - 1e-9) break;
      auto apply_move = [&](std::size_t i, int to) {
        const auto& st = slots_[placed[i].slot];
        sum[placed[i].team] -= st.skill * st.players;
        fill[placed[i].team] -= st.players;
        sum[to] += st.skill * st.players;
        fill[to] += st.players;
        placed[i].team = to;
      };
      if (swap) {
        int ti = placed[bi].team, tj = placed[bj].team;
        apply_move(bi, tj);
        apply_move(bj, ti);
      } else {
        apply_move(bi, move_to);
      }
    }
  }

  MatchQuality quality_of(const std::vector<std::uint32_t>& tickets, std::uint32_t region, milliseconds waited) const {
    MatchQuality q;
    q.waited = waited;
    double lo = kNoLimit, hi = -kNoLimit;
    int plo = 0xFFFF, phi = 0;
    for (auto s : tickets) {
      lo = std::min(lo, slots_[s].skill);
      hi = std::max(hi, slots_[s].skill);
      if (region != kNone) {
        plo = std::min<int>(plo, slots_[s].ping[region]);
        phi = std::max<int>(phi, slots_[s].ping[region]);
      }
    }
    q.skill_spread = tickets.empty() ? 0 : hi - lo;
    q.ping_spread_ms = region == kNone || tickets.empty() ? 0 : phi - plo;
    double skill_term = skill_on_ && widest_skill_ > 0 ? std::min(1.0, q.skill_spread / (2 * widest_skill_)) : 0;
    double ping_term = latency_on_ ? std::min(1.0, q.ping_spread_ms / widest_ping_) : 0;
    double wait_term = std::min(1.0, static_cast<double>(waited.count()) / 120'000.0);
    q.score = 1 - (skill_term + ping_term + wait_term) / 3;
    return q;
  }

  // Without a latency rule: the region every ticket has a ping for whose
  // highest ping is lowest, if any.
  std::uint32_t shared_region(const std::vector<std::uint32_t>& tickets) const {
    std::uint32_t best = kNone;
    int best_worst = 0;
    for (std::uint32_t r = 0; r < region_names_.size(); ++r) {
      int worst = 0;
      for (auto s : tickets) worst = std::max<int>(worst, slots_[s].ping[r]);
      if (worst != kNoPing && (best == kNone || worst < best_worst)) best = r, best_worst = worst;
    }
    return best;
  }

  FormedMatch finish(Placement placement, std::uint32_t a, const Limits&, std::int64_t now_ms) {
    if (spec_.rules.balance && teams_ > 1) balance(placement.placed);
    std::vector<std::uint32_t> tickets;
    for (const auto& p : placement.placed) tickets.push_back(p.slot);
    auto region = latency_on_ ? placement.region : shared_region(tickets);
    FormedMatch m;
    m.teams.resize(static_cast<std::size_t>(teams_));
    for (const auto& p : placement.placed) m.teams[p.team].push_back(slots_[p.slot].key);
    if (region != kNone) m.region = region_names_[region];
    m.quality = quality_of(tickets, region, milliseconds(now_ms - slots_[a].created_ms));
    record(m.quality, tickets, now_ms);
    for (auto s : tickets) release(s);
    return m;
  }

  void record(const MatchQuality& q, const std::vector<std::uint32_t>& tickets, std::int64_t now_ms) {
    auto second = now_ms / 1000;
    auto& bucket = matches_per_second_[static_cast<std::size_t>(second % 60)];
    if (bucket.first != second) bucket = {second, 0};
    ++bucket.second;
    push_sample(quality_samples_, quality_next_, kQualitySamples, q.score);
    for (auto s : tickets)
      push_sample(wait_samples_, wait_next_, kWaitSamples, std::max<std::int64_t>(0, now_ms - slots_[s].created_ms));
  }

  template <class T>
  static void push_sample(std::vector<T>& ring, std::size_t& next, std::size_t cap, T value) {
    if (ring.size() < cap)
      ring.push_back(value);
    else
      ring[next] = value;
    next = (next + 1) % cap;
  }

  // The ticket leaves the queue (matched or removed).
  void release(std::uint32_t s) {
    auto& slot = slots_[s];
    auto& bucket = buckets_[slot.bucket];
    bucket.all.erase(slots_, s, &Slot::pos);
    if (slot.idle_pos != kNone) bucket.idle.erase(slots_, s, &Slot::idle_pos);
    slot_of_.erase(slot.key);
    waiting_players_ -= slot.players;
    if (auto it = created_seconds_.find(slot.created_ms / 1000); it != created_seconds_.end() && --it->second == 0)
      created_seconds_.erase(it);
    slot.waiting = false;
    slot.active = false;
    ++slot.generation;
    free_.push_back(s);
  }

  // ---- backfill

  void fill_backfills(std::int64_t now_ms, MatchRound& round) {
    for (auto it = backfills_.begin(); it != backfills_.end();) {
      if (auto fill = try_backfill(*it, now_ms)) {
        round.backfills.push_back(std::move(*fill));
        it = backfills_.erase(it);
      } else {
        ++it;
      }
    }
  }

  std::optional<BackfillFill> try_backfill(const BackfillRequest& r, std::int64_t now_ms) {
    auto waited = milliseconds(std::max<std::int64_t>(0, now_ms - ms_of(r.requested_at)));
    auto lim = limits_after(waited);
    bool below_ok = waited >= below_after_;
    auto value_of = [&](const std::string& tag) -> std::string_view {
      for (const auto& [t, v] : r.tag_values)
        if (t == tag) return v;
      return {};
    };
    std::uint64_t bucket_key = 0;
    for (std::size_t i = 0; i < equal_tags_.size(); ++i) {
      auto id = lookup(equal_values_[i], value_of(equal_tags_[i]));
      if (!id) return std::nullopt;  // no ticket has ever had this value
      bucket_key |= static_cast<std::uint64_t>(*id) << (16 * i);
    }
    auto b = bucket_of_.find(bucket_key);
    if (b == bucket_of_.end()) return std::nullopt;
    std::vector<std::vector<std::uint16_t>> taken(differ_tags_.size());
    for (std::size_t i = 0; i < differ_tags_.size(); ++i)
      for (const auto& [t, v] : r.tag_values)
        if (t == differ_tags_[i])
          if (auto id = lookup(differ_values_[i], v)) taken[i].push_back(*id);
    std::uint32_t region = kNone;
    if (latency_on_) {
      auto it = regions_.find(std::string_view(r.region));
      if (it == regions_.end()) return std::nullopt;
      region = it->second;
    }
    double center = spec_.rules.skill.default_skill;
    if (!r.skills.empty()) {
      center = 0;
      for (double s : r.skills) center += s;
      center /= static_cast<double>(r.skills.size());
    }
    if (!skill_on_) center = 0;

    std::vector<std::uint32_t> cands;
    std::size_t visited = 0;
    auto lo = skill_on_ ? cell_of(center - lim.skill) : 0;
    auto hi = skill_on_ ? cell_of(center + lim.skill) : 0;
    buckets_[b->second].all.scan(lo, hi, cell_of(center), [&](const Entry& e) {
      auto c = e.slot;
      if (++visited > options_.scan_limit) return false;
      const auto& cs = slots_[c];
      if (std::abs(cs.skill - center) > lim.skill) return true;
      if (region != kNone && (cs.ping[region] == kNoPing || cs.ping[region] > lim.ping)) return true;
      for (std::size_t i = 0; i < differ_tags_.size(); ++i)
        if (std::find(taken[i].begin(), taken[i].end(), cs.differ[i]) != taken[i].end()) return true;
      cands.push_back(c);
      return cands.size() < options_.candidates;
    });
    std::sort(cands.begin(), cands.end(), [&](auto x, auto y) {
      auto dx = std::abs(slots_[x].skill - center), dy = std::abs(slots_[y].skill - center);
      return dx != dy ? dx < dy : older(slots_[x], slots_[y]);
    });
    // Exactly `players` seats if possible, else (after the wait) the most.
    std::vector<Placed> chosen, best;
    int best_total = 0;
    std::size_t steps = 0;
    std::function<bool(std::size_t, int)> subset = [&](std::size_t i, int total) -> bool {
      if (++steps > options_.pack_budget) return true;
      if (total > best_total) best = chosen, best_total = total;
      if (total == r.players) return true;
      if (i == cands.size()) return false;
      int p = slots_[cands[i]].players;
      if (total + p <= r.players && differs_from_all(cands[i], chosen)) {
        chosen.push_back({cands[i], r.team});
        if (subset(i + 1, total + p)) return true;
        chosen.pop_back();
      }
      return subset(i + 1, total);
    };
    subset(0, 0);
    if (best_total == 0 || (best_total < r.players && !below_ok)) return std::nullopt;
    std::vector<std::uint32_t> tickets;
    BackfillFill fill{r.key, r.team, {}, {}};
    for (const auto& p : best) {
      tickets.push_back(p.slot);
      fill.tickets.push_back(slots_[p.slot].key);
    }
    fill.quality = quality_of(tickets, region, waited);
    record(fill.quality, tickets, now_ms);
    for (auto s : tickets) release(s);
    return fill;
  }

  QueueSpec spec_;
  MatcherOptions options_;
  int teams_ = 2, team_max_ = 1, team_min_ = 1, max_players_ = 2, min_players_ = 2;
  milliseconds below_after_{0};
  bool skill_on_ = false, latency_on_ = false;
  double widest_skill_ = 0, widest_ping_ = 0, cell_width_ = 1;
  std::vector<std::string> equal_tags_, differ_tags_;
  std::vector<InternMap> equal_values_, differ_values_;
  InternMap regions_;
  std::vector<std::string> region_names_;

  SlotStore slots_;
  std::vector<std::uint32_t> free_;
  KeyMap slot_of_;
  std::unordered_map<std::uint64_t, std::uint32_t> bucket_of_;
  std::vector<Bucket> buckets_;
  std::uint64_t next_seq_ = 0;
  AnchorQueue anchors_;
  std::priority_queue<Wake, std::vector<Wake>, std::greater<>> wakes_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> arrivals_;  // (slot, generation) since the last round
  std::vector<BackfillRequest> backfills_;
  // Scratch of try_anchor, kept to spare allocations: found_ (gather), cands_
  // (gather's result), here_ (the candidates of one region).
  std::vector<Entry> found_;
  std::vector<std::uint32_t> cands_, here_;

  std::size_t waiting_players_ = 0;
  std::map<std::int64_t, std::size_t> created_seconds_;  // second -> waiting tickets created then
  std::array<std::pair<std::int64_t, std::uint64_t>, 60> matches_per_second_{};
  std::vector<std::int64_t> wait_samples_;
  std::size_t wait_next_ = 0;
  std::vector<double> quality_samples_;
  std::size_t quality_next_ = 0;
};

QueueMatcher::QueueMatcher(QueueSpec spec, MatcherOptions options)
    : impl_(std::make_unique<Impl>(std::move(spec), options)) {}
QueueMatcher::~QueueMatcher() = default;
const QueueSpec& QueueMatcher::spec() const { return impl_->spec(); }
Result<void> QueueMatcher::add(const MatchTicket& ticket) { return impl_->add(ticket); }
bool QueueMatcher::remove(TicketKey key) { return impl_->remove(key); }
bool QueueMatcher::contains(TicketKey key) const { return impl_->contains(key); }
std::size_t QueueMatcher::waiting() const { return impl_->waiting(); }
Result<void> QueueMatcher::request_backfill(BackfillRequest request) {
  return impl_->request_backfill(std::move(request));
}
bool QueueMatcher::cancel_backfill(BackfillKey key) { return impl_->cancel_backfill(key); }
MatchRound QueueMatcher::match(TimePoint now) { return impl_->match(now); }
QueueStats QueueMatcher::stats(TimePoint now) const { return impl_->stats(now); }
std::size_t QueueMatcher::visit_waiting(TimePoint now, std::size_t limit,
                                        const std::function<void(const WaitingTicket&)>& visit) const {
  return impl_->visit_waiting(now, limit, visit);
}

}  // namespace webgames
