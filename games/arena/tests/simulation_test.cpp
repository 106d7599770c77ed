// The rules of Arena, stepped tick by tick: movement, walls and bodies,
// shots, hits, elimination, the winner, ties and the time limit.

#include "simulation.h"

#include <gtest/gtest.h>

#include <cmath>

namespace arena {
namespace {

// An open field: players 0 and 1 face each other on one line, 2 and 3 on
// another, far off it.
const ArenaMap& open_field() {
  static const ArenaMap map{
      .width = 800, .height = 600, .walls = {}, .spawns = {{{100, 300}, {700, 300}, {400, 60}, {400, 540}}}};
  return map;
}

Rules quick_rules() {
  Rules r;
  r.countdown_ticks = 0;
  return r;
}

void run(Simulation& sim, int ticks) {
  for (int i = 0; i < ticks && sim.phase() != Phase::over; ++i) sim.step();
}

// Steps until `done` or `limit` ticks; true when done.
template <class Done>
bool run_until(Simulation& sim, Done done, int limit = 2000) {
  for (int i = 0; i < limit; ++i) {
    if (done()) return true;
    sim.step();
  }
  return done();
}

TEST(Simulation, PlayersStartInTheirCornersAndWaitOutTheCountdown) {
  Rules rules;
  rules.countdown_ticks = 10;
  Simulation sim(4, rules);
  const auto& spawns = ArenaMap::standard().spawns;
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(sim.player(i).x, spawns[i][0]);
    EXPECT_EQ(sim.player(i).y, spawns[i][1]);
    EXPECT_EQ(sim.player(i).hp, 3);
    sim.set_input(i, {.dx = 1, .dy = 1, .aim = 1.0, .fire = true});
  }
  EXPECT_EQ(sim.phase(), Phase::countdown);
  run(sim, 10);
  EXPECT_EQ(sim.tick(), 10);
  EXPECT_EQ(sim.player(0).x, spawns[0][0]) << "nobody moves during the countdown";
  EXPECT_TRUE(sim.bullets().empty()) << "nor shoots";
  EXPECT_DOUBLE_EQ(sim.player(0).aim, 1.0) << "but aims";
  EXPECT_EQ(sim.phase(), Phase::playing);
  sim.step();
  EXPECT_GT(sim.player(0).x, spawns[0][0]);
  EXPECT_EQ(sim.bullets().size(), 4u);
}

TEST(Simulation, MovesAtItsSpeedDiagonalsNoFaster) {
  Simulation sim(2, quick_rules(), open_field());
  sim.set_input(0, {.dx = 1, .dy = 0});
  sim.set_input(1, {.dx = -1, .dy = -1});
  run(sim, 30);  // one second
  EXPECT_NEAR(sim.player(0).x, 100 + 200, 1e-9);
  EXPECT_NEAR(sim.player(0).y, 300, 1e-9);
  EXPECT_NEAR(std::hypot(sim.player(1).x - 700, sim.player(1).y - 300), 200, 1e-9);
  sim.set_input(0, {.dx = 0, .dy = 0});
  run(sim, 5);
  EXPECT_NEAR(sim.player(0).x, 300, 1e-9) << "an input holds until the next one";
}

TEST(Simulation, InputsOutOfRangeAreClamped) {
  Simulation sim(2, quick_rules(), open_field());
  sim.set_input(0, {.dx = 7, .dy = -9, .aim = NAN});
  sim.step();
  EXPECT_NEAR(sim.player(0).x - 100, 200.0 / 30 / std::sqrt(2.0), 1e-9);
  EXPECT_NEAR(300 - sim.player(0).y, 200.0 / 30 / std::sqrt(2.0), 1e-9);
  EXPECT_DOUBLE_EQ(sim.player(0).aim, 0) << "a non-finite aim is ignored";
}

TEST(Simulation, TheEdgesAndWallsBlockAndPlayersSlideAlongThem) {
  Simulation sim(4, quick_rules());  // standard map: player 0 at (80, 80)
  sim.set_input(0, {.dx = -1, .dy = 0});
  run(sim, 60);
  EXPECT_GE(sim.player(0).x - 16, 0);
  EXPECT_LT(sim.player(0).x, 80);
  // Up-left into the corner: stuck on both axes, never through.
  sim.set_input(0, {.dx = -1, .dy = -1});
  run(sim, 60);
  EXPECT_GE(sim.player(0).y - 16, 0);
  EXPECT_LT(sim.player(0).y, 80);
  // Into the wall at (180..240, 260..340) from its left, sliding down along it.
  Simulation walls(4, quick_rules());
  walls.set_input(3, {.dx = 1, .dy = -1});  // player 3 starts at (80, 520)
  run(walls, 300);
  for (const auto& w : ArenaMap::standard().walls) {
    double nx = std::clamp(walls.player(3).x, w.x, w.x + w.w), ny = std::clamp(walls.player(3).y, w.y, w.y + w.h);
    EXPECT_GE(std::hypot(walls.player(3).x - nx, walls.player(3).y - ny), 16) << "inside a wall";
  }
  EXPECT_GT(walls.player(3).x, 80);
  EXPECT_LT(walls.player(3).y, 520);
}

TEST(Simulation, PlayersBlockEachOther) {
  Simulation sim(2, quick_rules(), open_field());
  sim.set_input(0, {.dx = 1, .dy = 0});
  sim.set_input(1, {.dx = -1, .dy = 0});
  run(sim, 200);
  EXPECT_GE(sim.player(1).x - sim.player(0).x, 32);
  EXPECT_LT(sim.player(1).x - sim.player(0).x, 32 + 2 * 200.0 / 30);
}

TEST(Simulation, ABulletFliesStraightHitsAndTheGunCoolsDown) {
  Simulation sim(2, quick_rules(), open_field());
  sim.set_input(0, {.aim = 0, .fire = true});
  sim.step();
  ASSERT_EQ(sim.bullets().size(), 1u);
  ASSERT_EQ(sim.events().size(), 1u);
  EXPECT_EQ(sim.events()[0].kind, Event::Kind::shot);
  const auto& b = sim.bullets()[0];
  EXPECT_EQ(b.owner, 0);
  EXPECT_NEAR(b.y, 300, 1e-9);
  EXPECT_NEAR(b.vx, 500.0 / 30, 1e-9);
  // 12 ticks between shots (400 ms at 30 ticks a second).
  run(sim, 11);
  EXPECT_EQ(sim.bullets().size(), 1u);
  sim.step();
  EXPECT_EQ(sim.bullets().size(), 2u);
  sim.set_input(0, {.aim = 0, .fire = false});
  ASSERT_TRUE(run_until(
      sim, [&] { return sim.player(1).hp < 3; }, 60));
  bool hit = false;
  for (const auto& e : sim.events())
    if (e.kind == Event::Kind::hit) {
      hit = true;
      EXPECT_EQ(e.player, 1);
      EXPECT_EQ(e.by, 0);
      EXPECT_EQ(e.hp, 2);
    }
  EXPECT_TRUE(hit);
  EXPECT_EQ(sim.bullets().size(), 1u) << "the bullet that hit is gone";
}

TEST(Simulation, BulletsStopAtWallsAndExpire) {
  Simulation sim(4, quick_rules());
  // Player 0 at (80, 80) shoots at the middle of the left block (210, 300).
  sim.set_input(0, {.aim = std::atan2(300 - 80, 210 - 80), .fire = true});
  sim.step();
  sim.set_input(0, {.aim = std::atan2(300 - 80, 210 - 80), .fire = false});
  ASSERT_EQ(sim.bullets().size(), 1u);
  ASSERT_TRUE(run_until(
      sim, [&] { return sim.bullets().empty(); }, 60));
  EXPECT_EQ(sim.player(3).hp, 3);
  EXPECT_EQ(sim.player(1).hp, 3);
  // In the open a bullet lives 2 s at most.
  Simulation open(2, quick_rules(), open_field());
  open.set_input(0, {.aim = -M_PI / 2, .fire = true});  // up: 240 units to the edge
  open.step();
  open.set_input(0, {.aim = -M_PI / 2, .fire = false});
  ASSERT_TRUE(run_until(
      open, [&] { return open.bullets().empty(); }, 61));
}

TEST(Simulation, ThreeHitsEliminateAndTheLastStandingWins) {
  Simulation sim(2, quick_rules(), open_field());
  sim.set_input(0, {.aim = 0, .fire = true});
  ASSERT_TRUE(run_until(sim, [&] { return sim.phase() == Phase::over; }));
  EXPECT_EQ(sim.end_reason(), EndReason::last_standing);
  EXPECT_FALSE(sim.player(1).alive);
  EXPECT_EQ(sim.player(1).hp, 0);
  EXPECT_EQ(sim.player(1).eliminated_tick, sim.tick());
  EXPECT_EQ(sim.player(1).eliminated_by, 0);
  EXPECT_EQ(sim.player(0).kills, 1);
  EXPECT_EQ(sim.winner(), 0);
  auto s = sim.standings();
  EXPECT_EQ(s[0].rank, 1);
  EXPECT_EQ(s[1].rank, 2);
  bool told = false;
  for (const auto& e : sim.events()) told |= e.kind == Event::Kind::eliminated && e.player == 1 && e.by == 0;
  EXPECT_TRUE(told);
  // Over: nothing moves any more.
  int tick = sim.tick();
  sim.step();
  EXPECT_EQ(sim.tick(), tick);
}

TEST(Simulation, FourPlayersRankByTheOrderTheyFell) {
  Simulation sim(4, quick_rules(), open_field());
  // 0 shoots 1 (on its line); 2 and 3 stand still. Then 0 turns to 2, then 3.
  sim.set_input(0, {.aim = 0, .fire = true});
  ASSERT_TRUE(run_until(sim, [&] { return !sim.player(1).alive; }));
  int fell1 = *sim.player(1).eliminated_tick;
  sim.set_input(0, {.aim = std::atan2(60 - 300, 400 - 100), .fire = true});
  ASSERT_TRUE(run_until(sim, [&] { return !sim.player(2).alive; }));
  EXPECT_NE(sim.phase(), Phase::over);
  sim.set_input(0, {.aim = std::atan2(540 - 300, 400 - 100), .fire = true});
  ASSERT_TRUE(run_until(sim, [&] { return sim.phase() == Phase::over; }));
  EXPECT_GT(*sim.player(3).eliminated_tick, *sim.player(2).eliminated_tick);
  EXPECT_GT(*sim.player(2).eliminated_tick, fell1);
  auto s = sim.standings();
  EXPECT_EQ(s[0].rank, 1);
  EXPECT_EQ(s[3].rank, 2);
  EXPECT_EQ(s[2].rank, 3);
  EXPECT_EQ(s[1].rank, 4);
  EXPECT_EQ(sim.player(0).kills, 3);
  EXPECT_EQ(sim.winner(), 0);
}

TEST(Simulation, FallingInTheSameTickIsATieAndADraw) {
  Rules rules = quick_rules();
  rules.hp = 1;
  Simulation sim(2, rules, open_field());
  sim.set_input(0, {.aim = 0, .fire = true});
  sim.set_input(1, {.aim = M_PI, .fire = true});
  ASSERT_TRUE(run_until(sim, [&] { return sim.phase() == Phase::over; }));
  EXPECT_FALSE(sim.player(0).alive);
  EXPECT_FALSE(sim.player(1).alive);
  EXPECT_EQ(sim.player(0).eliminated_tick, sim.player(1).eliminated_tick);
  EXPECT_EQ(sim.standings()[0].rank, 1);
  EXPECT_EQ(sim.standings()[1].rank, 1);
  EXPECT_EQ(sim.winner(), std::nullopt);
  EXPECT_EQ(sim.end_reason(), EndReason::last_standing);
}

TEST(Simulation, TheTimeLimitEndsTheMatchMoreHpRanksBetterEqualHpTies) {
  Rules rules = quick_rules();
  rules.time_limit_ticks = 90;
  rules.countdown_ticks = 15;
  Simulation sim(4, rules, open_field());
  sim.set_input(2, {.aim = M_PI / 2, .fire = true});  // 2 hits 3 (straight down) once, then stops
  ASSERT_TRUE(run_until(
      sim, [&] { return sim.player(3).hp < 3; }, 200));
  sim.set_input(2, {.aim = M_PI / 2, .fire = false});
  EXPECT_EQ(sim.remaining_ticks(), 90 - (sim.tick() - 15));
  run(sim, 200);
  EXPECT_EQ(sim.phase(), Phase::over);
  EXPECT_EQ(sim.end_reason(), EndReason::time_limit);
  EXPECT_EQ(sim.tick(), 15 + 90);
  EXPECT_EQ(sim.remaining_ticks(), 0);
  auto s = sim.standings();
  // 0, 1 and 2 untouched (3 hp): tied first; 3 (2 hp) fourth. No winner.
  EXPECT_EQ(s[0].rank, 1);
  EXPECT_EQ(s[1].rank, 1);
  EXPECT_EQ(s[2].rank, 1);
  EXPECT_EQ(s[3].rank, 4);
  EXPECT_EQ(sim.winner(), std::nullopt);
}

TEST(Simulation, AForfeitEliminatesAtOnceAndOneLeftWins) {
  Simulation sim(3, quick_rules(), open_field());
  sim.eliminate(2);
  EXPECT_FALSE(sim.player(2).alive);
  EXPECT_EQ(sim.player(2).eliminated_by, std::nullopt);
  EXPECT_NE(sim.phase(), Phase::over);
  sim.eliminate(1);
  EXPECT_EQ(sim.phase(), Phase::over);
  EXPECT_EQ(sim.winner(), 0);
  EXPECT_EQ(sim.standings()[1].rank, 2);
  EXPECT_EQ(sim.standings()[2].rank, 2) << "eliminated in the same tick: tied";
}

TEST(Simulation, TheSameInputsGiveTheSameMatch) {
  auto play = [] {
    Simulation sim(4, quick_rules());
    for (int t = 0; t < 600 && sim.phase() != Phase::over; ++t) {
      for (int i = 0; i < 4; ++i)
        sim.set_input(i,
                      {.dx = (t / 20 + i) % 3 - 1, .dy = (t / 30 + 2 * i) % 3 - 1, .aim = t * 0.05 + i, .fire = true});
      sim.step();
    }
    std::vector<double> out{static_cast<double>(sim.tick())};
    for (int i = 0; i < 4; ++i) out.insert(out.end(), {sim.player(i).x, sim.player(i).y, double(sim.player(i).hp)});
    return out;
  };
  EXPECT_EQ(play(), play());
}

}  // namespace
}  // namespace arena
