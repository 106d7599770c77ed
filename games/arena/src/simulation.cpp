#include "simulation.h"

#include <algorithm>
#include <cassert>
#include <climits>
#include <cmath>
#include <utility>

namespace arena {

namespace {

// How far a bullet moves between two checks, at most: below its radius plus
// a player's, so that nothing is jumped over.
constexpr double kBulletSubstep = 4;

bool circle_overlaps_rect(double cx, double cy, double r, const Rect& rect) {
  double nx = std::clamp(cx, rect.x, rect.x + rect.w);
  double ny = std::clamp(cy, rect.y, rect.y + rect.h);
  double dx = cx - nx, dy = cy - ny;
  return dx * dx + dy * dy < r * r;
}

bool circles_overlap(double ax, double ay, double ar, double bx, double by, double br) {
  double dx = ax - bx, dy = ay - by, r = ar + br;
  return dx * dx + dy * dy < r * r;
}

int clamp_direction(int d) { return std::clamp(d, -1, 1); }

}  // namespace

const ArenaMap& ArenaMap::standard() {
  // Four blocks, none on the lines between the corners, so that players
  // can always see each other from their spawns.
  static const ArenaMap map{.width = 800,
                            .height = 600,
                            .walls = {{180, 260, 60, 80}, {560, 260, 60, 80}, {360, 130, 80, 40}, {360, 430, 80, 40}},
                            .spawns = {{{80, 80}, {720, 520}, {720, 80}, {80, 520}}}};
  return map;
}

std::string_view to_string(Event::Kind kind) {
  switch (kind) {
    case Event::Kind::shot:
      return "shot";
    case Event::Kind::hit:
      return "hit";
    case Event::Kind::eliminated:
      return "eliminated";
  }
  return "";
}

std::string_view to_string(Phase phase) {
  switch (phase) {
    case Phase::countdown:
      return "countdown";
    case Phase::playing:
      return "playing";
    case Phase::over:
      return "over";
  }
  return "";
}

std::string_view to_string(EndReason reason) {
  return reason == EndReason::last_standing ? "last_standing" : "time_limit";
}

Simulation::Simulation(int players, Rules rules, const ArenaMap& map)
    : rules_(rules), map_(map), players_(players), inputs_(players) {
  assert(players >= 1 && players <= 4);
  assert(rules.tick_rate >= 1 && rules.time_limit_ticks >= 1 && rules.hp >= 1);
  for (int i = 0; i < players; ++i) {
    auto& p = players_[i];
    p.x = map_.spawns[i][0];
    p.y = map_.spawns[i][1];
    // Facing the middle of the arena.
    p.aim = std::atan2(map_.height / 2 - p.y, map_.width / 2 - p.x);
    p.hp = rules_.hp;
    inputs_[i].aim = p.aim;
  }
}

Phase Simulation::phase() const {
  if (end_) return Phase::over;
  return tick_ < rules_.countdown_ticks ? Phase::countdown : Phase::playing;
}

int Simulation::remaining_ticks() const {
  return rules_.time_limit_ticks - std::max(0, tick_ - rules_.countdown_ticks);
}

void Simulation::set_input(int player, const Input& input) {
  auto& in = inputs_[player];
  in.dx = clamp_direction(input.dx);
  in.dy = clamp_direction(input.dy);
  if (std::isfinite(input.aim)) in.aim = std::remainder(input.aim, 2 * M_PI);
  in.fire = input.fire;
}

void Simulation::eliminate(int player) {
  auto& p = players_[player];
  if (!p.alive || end_) return;
  p.alive = false;
  p.hp = 0;
  p.eliminated_tick = tick_;
  check_end();
}

void Simulation::step() {
  if (end_) return;
  events_.clear();
  ++tick_;
  for (int i = 0; i < player_count(); ++i)
    if (players_[i].alive) players_[i].aim = inputs_[i].aim;
  if (tick_ <= rules_.countdown_ticks) return;

  for (int i = 0; i < player_count(); ++i)
    if (players_[i].alive) move_player(i);
  for (int i = 0; i < player_count(); ++i)
    if (players_[i].alive) fire(i);
  move_bullets();
  check_end();
  if (!end_ && remaining_ticks() <= 0) end_ = EndReason::time_limit;
}

bool Simulation::blocked(int self, double x, double y) const {
  double r = rules_.player_radius;
  if (x - r < 0 || y - r < 0 || x + r > map_.width || y + r > map_.height) return true;
  for (const auto& wall : map_.walls)
    if (circle_overlaps_rect(x, y, r, wall)) return true;
  for (int j = 0; j < player_count(); ++j)
    if (j != self && players_[j].alive && circles_overlap(x, y, r, players_[j].x, players_[j].y, r)) return true;
  return false;
}

void Simulation::move_player(int i) {
  auto& p = players_[i];
  const auto& in = inputs_[i];
  if (in.dx == 0 && in.dy == 0) return;
  double step = rules_.player_speed / rules_.tick_rate;
  if (in.dx != 0 && in.dy != 0) step /= std::sqrt(2.0);
  // One axis at a time: blocked along one, a player slides along the other.
  if (double nx = p.x + in.dx * step; in.dx != 0 && !blocked(i, nx, p.y)) p.x = nx;
  if (double ny = p.y + in.dy * step; in.dy != 0 && !blocked(i, p.x, ny)) p.y = ny;
}

void Simulation::fire(int i) {
  auto& p = players_[i];
  if (p.cooldown > 0) --p.cooldown;
  if (!inputs_[i].fire || p.cooldown > 0) return;
  p.cooldown = rules_.fire_cooldown_ticks;
  double c = std::cos(p.aim), s = std::sin(p.aim);
  double muzzle = rules_.player_radius + rules_.bullet_radius + 1;
  double speed = rules_.bullet_speed / rules_.tick_rate;
  Bullet b{.id = next_bullet_++,
           .owner = i,
           .x = p.x + c * muzzle,
           .y = p.y + s * muzzle,
           .vx = c * speed,
           .vy = s * speed,
           .ticks_left = rules_.bullet_lifetime_ticks};
  bullets_.push_back(b);
  events_.push_back({.kind = Event::Kind::shot, .player = i, .bullet = b.id});
}

void Simulation::move_bullets() {
  double r = rules_.bullet_radius;
  auto gone = [&](Bullet& b) {
    if (b.ticks_left-- <= 0) return true;
    double length = std::hypot(b.vx, b.vy);
    int substeps = std::max(1, static_cast<int>(std::ceil(length / kBulletSubstep)));
    for (int k = 0; k < substeps; ++k) {
      b.x += b.vx / substeps;
      b.y += b.vy / substeps;
      if (b.x - r < 0 || b.y - r < 0 || b.x + r > map_.width || b.y + r > map_.height) return true;
      for (const auto& wall : map_.walls)
        if (circle_overlaps_rect(b.x, b.y, r, wall)) return true;
      for (int j = 0; j < player_count(); ++j) {
        auto& target = players_[j];
        if (j == b.owner || !target.alive || !circles_overlap(b.x, b.y, r, target.x, target.y, rules_.player_radius))
          continue;
        --target.hp;
        events_.push_back({.kind = Event::Kind::hit, .player = j, .by = b.owner, .hp = target.hp});
        if (target.hp <= 0) {
          target.alive = false;
          target.eliminated_tick = tick_;
          target.eliminated_by = b.owner;
          ++players_[b.owner].kills;
          events_.push_back({.kind = Event::Kind::eliminated, .player = j, .by = b.owner});
        }
        return true;
      }
    }
    return false;
  };
  std::erase_if(bullets_, gone);
}

int Simulation::alive_count() const {
  return static_cast<int>(std::count_if(players_.begin(), players_.end(), [](const auto& p) { return p.alive; }));
}

void Simulation::check_end() {
  if (!end_ && alive_count() <= 1) end_ = EndReason::last_standing;
}

std::vector<Standing> Simulation::standings() const {
  // Higher is better: the living by hp above every eliminated one, who rank
  // by the tick they fell.
  auto key = [](const PlayerState& p) {
    return p.alive ? std::pair{INT_MAX, p.hp} : std::pair{p.eliminated_tick.value_or(0), 0};
  };
  std::vector<Standing> out;
  for (int i = 0; i < player_count(); ++i) {
    int better = 0;
    for (const auto& other : players_)
      if (key(other) > key(players_[i])) ++better;
    out.push_back({.player = i, .rank = better + 1});
  }
  return out;
}

std::optional<int> Simulation::winner() const {
  if (!end_) return std::nullopt;
  std::optional<int> first;
  for (const auto& s : standings()) {
    if (s.rank != 1) continue;
    if (first) return std::nullopt;
    first = s.player;
  }
  return first;
}

}  // namespace arena
