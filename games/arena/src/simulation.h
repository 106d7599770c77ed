#pragma once
// The rules of Arena (docs/arena.md): 1 to 4 players in a walled arena move,
// aim and shoot until one is left or the time runs out. Pure: no I/O, no
// clock, no randomness; the caller steps it one tick at a time, so the same
// inputs always give the same match and every rule is tested directly.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace arena {

struct Rect {
  double x = 0, y = 0, w = 0, h = 0;
};

// The fixed map: 800 x 600 units, x right, y down; walls; spawn corners.
struct ArenaMap {
  double width = 800;
  double height = 600;
  std::vector<Rect> walls;
  std::array<std::array<double, 2>, 4> spawns{};  // slot i starts at spawns[i]
  static const ArenaMap& standard();
};

struct Rules {
  int tick_rate = 30;           // ticks per second. REQUIRES: 1..1000
  int countdown_ticks = 90;     // ticks of countdown before play
  int time_limit_ticks = 3600;  // ticks of play before the match stops. REQUIRES: >= 1
  int hp = 3;                   // REQUIRES: >= 1
  double player_radius = 16;
  double player_speed = 200;  // units per second
  double bullet_radius = 4;
  double bullet_speed = 500;  // units per second
  int bullet_lifetime_ticks = 60;
  int fire_cooldown_ticks = 12;
};

// What a player wants to do; held until the next one.
struct Input {
  int dx = 0, dy = 0;  // each -1, 0 or 1
  double aim = 0;      // radians, atan2(dy, dx) in arena coordinates
  bool fire = false;
};

struct PlayerState {
  double x = 0, y = 0;
  double aim = 0;
  int hp = 0;
  bool alive = true;
  int kills = 0;
  int cooldown = 0;                    // ticks until the gun is ready
  std::optional<int> eliminated_tick;  // the tick of the elimination
  std::optional<int> eliminated_by;    // the shooter; empty for a forfeit
};

struct Bullet {
  std::uint32_t id = 0;
  int owner = 0;
  double x = 0, y = 0, vx = 0, vy = 0;  // velocity in units per tick
  int ticks_left = 0;
};

// What happened during one step.
struct Event {
  enum class Kind { shot, hit, eliminated };
  Kind kind = Kind::shot;
  int player = 0;            // who shot, who was hit, who was eliminated
  std::optional<int> by;     // hit and eliminated: the shooter
  std::uint32_t bullet = 0;  // shot: the bullet
  int hp = 0;                // hit: hp left
};
std::string_view to_string(Event::Kind kind);

enum class Phase { countdown, playing, over };
std::string_view to_string(Phase phase);
enum class EndReason { last_standing, time_limit };
std::string_view to_string(EndReason reason);

struct Standing {
  int player = 0;
  int rank = 1;  // 1 is the best; equal ranks tie
};

class Simulation {
 public:
  // REQUIRES: 1 <= players <= 4; rules as documented on Rules.
  Simulation(int players, Rules rules, const ArenaMap& map = ArenaMap::standard());

  const Rules& rules() const { return rules_; }
  const ArenaMap& map() const { return map_; }
  // The number of steps taken; the state is the one after tick() - 1 steps
  // (0 before the first).
  int tick() const { return tick_; }
  Phase phase() const;
  // Ticks of play left before the time limit.
  int remaining_ticks() const;
  int player_count() const { return static_cast<int>(players_.size()); }
  const PlayerState& player(int i) const { return players_[i]; }
  const std::vector<Bullet>& bullets() const { return bullets_; }
  // What the last step() did.
  const std::vector<Event>& events() const { return events_; }
  std::optional<EndReason> end_reason() const { return end_; }

  // Sets `player`'s input for the next steps; values out of range are
  // clamped (dx, dy to -1..1; a non-finite aim is ignored).
  void set_input(int player, const Input& input);
  // Takes `player` out from now (never came: a forfeit). Ends the match if
  // one player or none is left. REQUIRES: 0 <= player < player_count().
  void eliminate(int player);
  // Advances one tick: countdown, or movement, shots, bullets, hits, the
  // end. Does nothing once over.
  void step();

  // Every player's rank: the living first (more hp better, equal tied),
  // then the eliminated, later better, the same tick tied. In slot order.
  std::vector<Standing> standings() const;
  // The one player ranked first once over; empty for a draw or while playing.
  std::optional<int> winner() const;

 private:
  bool blocked(int self, double x, double y) const;
  void move_player(int i);
  void fire(int i);
  void move_bullets();
  void check_end();
  int alive_count() const;

  Rules rules_;
  const ArenaMap& map_;
  std::vector<PlayerState> players_;
  std::vector<Input> inputs_;
  std::vector<Bullet> bullets_;
  std::vector<Event> events_;
  std::uint32_t next_bullet_ = 1;
  int tick_ = 0;
  std::optional<EndReason> end_;
};

}  // namespace arena
