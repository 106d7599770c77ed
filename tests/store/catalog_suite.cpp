#include "store/catalog_suite.h"

#include <thread>

namespace webgames::testing {

Account CatalogSuite::add_account(std::string username, Role role) {
  Account a{"acc_" + username, std::move(username), role, false, "hash", TimePoint{std::chrono::seconds(1)}};
  EXPECT_TRUE(catalog().create_account(a));
  return a;
}

Game CatalogSuite::game(std::string name, std::string owner) {
  Game g;
  g.id = "gam_" + name;  // history is keyed by the id
  g.name = std::move(name);
  g.owner_id = std::move(owner);
  g.server.command = "/bin/true";
  g.server.ports = {{"game", Protocol::tcp}};
  g.queues = {{"duel", 2, 1, 2}};
  EXPECT_TRUE(validate_game(g));
  return g;
}

namespace {

Session session(std::string id, std::string game, SessionState state, int matched_s) {
  Session s;
  s.id = std::move(id);
  s.game_id = game;  // sessions are listed by their game's id
  s.game = std::move(game);
  s.queue = "duel";
  s.owner_id = "acc_ada";
  s.players = {{"acc_p1", "p1", 0, "tkt_1", false}, {"acc_p2", "p2", 1, "tkt_2", true}};
  s.teams = 2;
  s.state = state;
  s.runtime = "process";
  s.runtime_id = "4242";
  s.ports = {{"game", 7001}};
  s.port = 7001;
  s.matched_at = TimePoint{std::chrono::seconds(matched_s)};
  return s;
}

}  // namespace

Session session_of_game(std::string id, const Game& g, std::int64_t matched_ms) {
  Session s;
  s.id = std::move(id);
  s.game_id = g.id;
  s.game = g.name;
  s.queue = "duel";
  s.owner_id = g.owner_id;
  s.state = SessionState::ended;
  s.matched_at = TimePoint{std::chrono::milliseconds(matched_ms)};
  s.players = {SessionPlayer{"acc_pat", "pat", 0, "tkt_1", false}};
  return s;
}

TEST_P(CatalogSuite, AnswersPing) { EXPECT_TRUE(catalog().ping()); }

TEST_P(CatalogSuite, ReopeningKeepsData) {
  auto a = add_account("ada");
  ASSERT_TRUE(catalog().create_game(game("shifumi", a.id)));
  auto reopened = under_test->open_again();
  EXPECT_EQ(reopened->game_by_name("shifumi")->owner_id, a.id);
  EXPECT_EQ(reopened->account_by_username("ada")->id, a.id);
}

TEST_P(CatalogSuite, AccountsAreFoundByIdAndUsername) {
  auto a = add_account("ada", Role::player);
  Account guest{"acc_guest", "guest-1", Role::player, true, "", TimePoint{std::chrono::seconds(2)}};
  ASSERT_TRUE(catalog().create_account(guest));
  EXPECT_EQ(catalog().account_by_id(a.id)->username, "ada");
  EXPECT_EQ(catalog().account_by_username("ada")->role, Role::player);
  EXPECT_FALSE(catalog().account_by_username("ada")->guest);
  EXPECT_TRUE(catalog().account_by_id("acc_guest")->guest);
  EXPECT_EQ(catalog().account_by_id("acc_guest")->created_at, guest.created_at);
  EXPECT_EQ(catalog().account_by_id("acc_none").error().code, Errc::not_found);
  EXPECT_EQ(catalog().account_by_username("nobody").error().field, "username");
  Account dup = a;
  dup.id = "acc_other";
  auto taken = catalog().create_account(dup);
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, Errc::conflict);
  EXPECT_EQ(taken.error().field, "username");
}

TEST_P(CatalogSuite, GamesBelongToTheirOwner) {
  auto ada = add_account("ada");
  auto bob = add_account("bob");
  ASSERT_TRUE(catalog().create_game(game("shifumi", ada.id)));
  ASSERT_TRUE(catalog().create_game(game("chess", ada.id)));
  ASSERT_TRUE(catalog().create_game(game("go", bob.id)));

  auto adas = catalog().games_of(ada.id).value();
  ASSERT_EQ(adas.size(), 2u);
  EXPECT_EQ(adas[0].name, "chess");  // sorted by name
  EXPECT_EQ(adas[1].queues[0].name, "duel");
  EXPECT_EQ(catalog().games_of(bob.id)->size(), 1u);
  EXPECT_TRUE(catalog().games_of("acc_none")->empty());

  auto taken = catalog().create_game(game("go", ada.id));
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, Errc::conflict);
  EXPECT_EQ(taken.error().field, "name");
}

TEST_P(CatalogSuite, ListsTheGamesWithAPool) {
  auto ada = add_account("ada");
  auto bob = add_account("bob");
  auto pooled = game("shifumi", ada.id);
  pooled.pool.policy = PoolPolicy::buffer;
  pooled.pool.buffer = 2;
  ASSERT_TRUE(catalog().create_game(pooled));
  ASSERT_TRUE(catalog().create_game(game("chess", ada.id)));  // off
  auto predictive = game("go", bob.id);
  predictive.pool.policy = PoolPolicy::predictive;
  ASSERT_TRUE(catalog().create_game(predictive));

  auto games = catalog().pooled_games().value();
  ASSERT_EQ(games.size(), 2u);
  EXPECT_EQ(games[0].name, "go");
  EXPECT_EQ(games[1].name, "shifumi");
  EXPECT_EQ(games[1].pool.buffer, 2);

  pooled.pool.policy = PoolPolicy::off;
  ASSERT_TRUE(catalog().update_game(pooled));
  ASSERT_TRUE(catalog().delete_game(catalog().game_by_name("go")->id));
  EXPECT_TRUE(catalog().pooled_games()->empty());
}

TEST_P(CatalogSuite, UpdateAndDeleteGames) {
  auto ada = add_account("ada");
  auto g = game("shifumi", ada.id);
  ASSERT_TRUE(catalog().create_game(g));
  g.title = "Shifumi Deluxe";
  g.queues[0].min_players = 1;
  g.updated_at = TimePoint{std::chrono::seconds(99)};
  ASSERT_TRUE(catalog().update_game(g));
  auto read = catalog().game_by_name("shifumi").value();
  EXPECT_EQ(read.title, "Shifumi Deluxe");
  EXPECT_EQ(read.queues[0].min_players, 1);
  EXPECT_EQ(read.updated_at, g.updated_at);

  ASSERT_TRUE(catalog().delete_game(g.id));
  EXPECT_EQ(catalog().game_by_name("shifumi").error().code, Errc::not_found);
  EXPECT_EQ(catalog().delete_game(g.id).error().code, Errc::not_found);
  EXPECT_EQ(catalog().update_game(g).error().code, Errc::not_found);
}

// Found by an attacker's audit: an update or a delete checked the game's
// owner, then wrote by name; a game that took the name in between (another
// developer's) was overwritten or deleted.
TEST_P(CatalogSuite, AnUpdateOrDeleteNeverReachesAGameThatTookTheNameSince) {
  auto ada = add_account("ada");
  auto bob = add_account("bob");
  auto old = game("shifumi", ada.id);
  ASSERT_TRUE(catalog().create_game(old));
  ASSERT_TRUE(catalog().delete_game(old.id));
  auto taken = game("shifumi", bob.id);
  taken.id = "gam_bob";
  taken.title = "Bob's";
  ASSERT_TRUE(catalog().create_game(taken));
  old.title = "Ada's late update";
  EXPECT_EQ(catalog().update_game(old).error().code, Errc::not_found);
  EXPECT_EQ(catalog().delete_game(old.id).error().code, Errc::not_found);
  auto read = catalog().game_by_name("shifumi").value();
  EXPECT_EQ(read.id, "gam_bob");
  EXPECT_EQ(read.owner_id, bob.id);
  EXPECT_EQ(read.title, "Bob's");
}

TEST_P(CatalogSuite, RefreshRotationIsCompareAndSwap) {
  auto ada = add_account("ada");
  // Hashes are raw bytes, NULs and high bytes included.
  std::string first("h\0\xff-1", 5);
  LoginSession login{"lgn_1", ada.id, first, TimePoint{std::chrono::hours(1)}, false};
  ASSERT_TRUE(catalog().create_login(login));
  auto read = catalog().login_by_refresh_hash(first).value();
  EXPECT_EQ(read.refresh_hash, first);
  EXPECT_EQ(read.expires_at, login.expires_at);
  const TimePoint now{std::chrono::minutes(30)};
  ASSERT_TRUE(catalog().rotate_refresh("lgn_1", first, "hash-2", TimePoint{std::chrono::hours(2)}, now));
  // A second refresh with the same (now stale) token loses.
  EXPECT_EQ(catalog().rotate_refresh("lgn_1", first, "hash-3", login.expires_at, now).error().code, Errc::not_found);
  // The replaced token is known as spent, by its login.
  auto spent = catalog().spent_refresh(first);
  ASSERT_TRUE(spent) << spent.error().message;
  EXPECT_EQ(spent->login_id, "lgn_1");
  EXPECT_EQ(spent->spent_at, now);
  EXPECT_EQ(catalog().spent_refresh("hash-2").error().code, Errc::not_found);
  EXPECT_EQ(catalog().spent_refresh("hash-3").error().code, Errc::not_found);
  EXPECT_EQ(catalog().login_by_refresh_hash("hash-2")->id, "lgn_1");
  EXPECT_EQ(catalog().login_by_refresh_hash("hash-2")->expires_at, TimePoint{std::chrono::hours(2)});
  EXPECT_EQ(catalog().login_by_refresh_hash(first).error().code, Errc::not_found);
  EXPECT_FALSE(catalog().login_revoked("lgn_1").value());
  ASSERT_TRUE(catalog().revoke_login("lgn_1"));
  EXPECT_TRUE(catalog().login_revoked("lgn_1").value());
  EXPECT_TRUE(catalog().login_by_refresh_hash("hash-2")->revoked);
  EXPECT_EQ(catalog().rotate_refresh("lgn_1", "hash-2", "hash-4", login.expires_at, now).error().code, Errc::not_found);
  EXPECT_EQ(catalog().spent_refresh("hash-2").error().code, Errc::not_found);
  EXPECT_EQ(catalog().login_revoked("lgn_none").error().code, Errc::not_found);
}

TEST_P(CatalogSuite, SpentRefreshTokensAreForgottenOnceTheyWouldHaveExpired) {
  auto ada = add_account("ada");
  ASSERT_TRUE(catalog().create_login({"lgn_1", ada.id, "hash-0", TimePoint{std::chrono::hours(1)}, false}));
  using std::chrono::hours;
  // Tokens live 10 hours here: spent at 0 h and 5 h, then a rotation at 11 h
  // forgets the first (spent 11 h ago) and keeps the second (6 h ago).
  ASSERT_TRUE(catalog().rotate_refresh("lgn_1", "hash-0", "hash-1", TimePoint{hours(10)}, TimePoint{hours(0)}));
  ASSERT_TRUE(catalog().rotate_refresh("lgn_1", "hash-1", "hash-2", TimePoint{hours(15)}, TimePoint{hours(5)}));
  ASSERT_TRUE(catalog().rotate_refresh("lgn_1", "hash-2", "hash-3", TimePoint{hours(21)}, TimePoint{hours(11)}));
  EXPECT_EQ(catalog().spent_refresh("hash-0").error().code, Errc::not_found);
  EXPECT_EQ(catalog().spent_refresh("hash-1")->spent_at, TimePoint{hours(5)});
  EXPECT_EQ(catalog().spent_refresh("hash-2")->spent_at, TimePoint{hours(11)});
}

TEST_P(CatalogSuite, ConcurrentRefreshesWithOneTokenHaveOneWinner) {
  auto ada = add_account("ada");
  ASSERT_TRUE(catalog().create_login({"lgn_1", ada.id, "hash-0", TimePoint{std::chrono::hours(1)}, false}));
  auto other = under_test->open_again();  // another replica
  for (int round = 0; round < 10; ++round) {
    auto old_hash = "hash-" + std::to_string(round);
    std::atomic<int> wins = 0;
    std::thread a([&] { wins += catalog().rotate_refresh("lgn_1", old_hash, old_hash + "a", {}, {}).has_value(); });
    std::thread b([&] { wins += other->rotate_refresh("lgn_1", old_hash, old_hash + "b", {}, {}).has_value(); });
    a.join();
    b.join();
    ASSERT_EQ(wins.load(), 1) << "round " << round;
    auto next = "hash-" + std::to_string(round + 1);
    auto winner = catalog().login_by_refresh_hash(old_hash + "a") ? old_hash + "a" : old_hash + "b";
    ASSERT_TRUE(catalog().rotate_refresh("lgn_1", winner, next, {}, {}));
    // The loser's hash was never stored, so only the winner's rotation spent old_hash.
    EXPECT_EQ(catalog().spent_refresh(old_hash)->login_id, "lgn_1");
  }
}

TEST_P(CatalogSuite, ApiKeysAreDeletedOnlyByTheirOwner) {
  auto ada = add_account("ada");
  auto bob = add_account("bob");
  ApiKey key{"key_1", ada.id, "ci", std::string("h\0sh", 4), "wgk_abcdef", TimePoint{std::chrono::seconds(5)}};
  ASSERT_TRUE(catalog().create_api_key(key));
  ASSERT_TRUE(catalog().create_api_key(
      {"key_2", ada.id, "deploy", "hash-2", "wgk_ghijkl", TimePoint{std::chrono::seconds(6)}}));
  auto read = catalog().api_key_by_hash(key.key_hash).value();
  EXPECT_EQ(read.owner_id, ada.id);
  EXPECT_EQ(read.key_hash, key.key_hash);
  EXPECT_EQ(read.prefix, "wgk_abcdef");
  EXPECT_EQ(read.created_at, key.created_at);
  EXPECT_EQ(catalog().api_key_by_hash("nope").error().code, Errc::not_found);
  EXPECT_EQ(catalog().delete_api_key(bob.id, "key_1").error().code, Errc::not_found);
  auto adas = catalog().api_keys_of(ada.id).value();
  ASSERT_EQ(adas.size(), 2u);
  EXPECT_EQ(adas[0].id, "key_1");  // oldest first
  ASSERT_TRUE(catalog().delete_api_key(ada.id, "key_1"));
  EXPECT_EQ(catalog().api_keys_of(ada.id)->size(), 1u);
  EXPECT_TRUE(catalog().api_keys_of(bob.id)->empty());
}

TEST_P(CatalogSuite, SessionsAreWrittenThroughAndListedNewestFirst) {
  ASSERT_TRUE(catalog().save_session(session("ses_a", "shifumi", SessionState::ended, 10)));
  ASSERT_TRUE(catalog().save_session(session("ses_b", "shifumi", SessionState::running, 20)));
  ASSERT_TRUE(catalog().save_session(session("ses_c", "shifumi", SessionState::starting, 30)));
  ASSERT_TRUE(catalog().save_session(session("ses_d", "chess", SessionState::failed, 40)));

  auto read = catalog().session_by_id("ses_b").value();
  EXPECT_EQ(read.state, SessionState::running);
  ASSERT_EQ(read.players.size(), 2u);
  EXPECT_TRUE(read.players[1].connected);
  EXPECT_EQ(read.ports.at("game"), 7001);
  EXPECT_EQ(read.matched_at, TimePoint{std::chrono::seconds(20)});
  EXPECT_EQ(catalog().session_by_id("ses_none").error().code, Errc::not_found);

  auto listed = catalog().sessions_of_game("shifumi", 2).value();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, "ses_c");
  EXPECT_EQ(listed[1].id, "ses_b");

  auto unfinished = catalog().unfinished_sessions().value();
  ASSERT_EQ(unfinished.size(), 2u);
  EXPECT_EQ(unfinished[0].id, "ses_b");  // oldest first

  // Saving again replaces the record.
  auto ended = session("ses_b", "shifumi", SessionState::ended, 20);
  ended.results = R"({"winner":"p1"})";
  ASSERT_TRUE(catalog().save_session(ended));
  EXPECT_EQ(catalog().session_by_id("ses_b")->results, ended.results);
  EXPECT_EQ(catalog().unfinished_sessions()->size(), 1u);
  EXPECT_EQ(catalog().sessions_of_game("shifumi", 10)->size(), 3u);
}

// A replica paused past its lobby lease must not overwrite what the new
// owner wrote of a session since (found by an attacker's probe: an ended
// session saved as failed by the old owner when it woke up).
TEST_P(CatalogSuite, ASessionSaveWithALowerFenceThanTheStoredIsRefused) {
  auto adopted = session("ses_a", "shifumi", SessionState::running, 10);
  adopted.fence = 7;
  ASSERT_TRUE(catalog().save_session(adopted));
  auto ended = adopted;
  ended.state = SessionState::ended;
  ended.fence = 8;  // the new owner
  ASSERT_TRUE(catalog().save_session(ended));

  auto stale = adopted;  // the old owner, awake again
  stale.state = SessionState::failed;
  auto refused = catalog().save_session(stale);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::conflict);
  EXPECT_EQ(refused.error().field, "fence");
  EXPECT_EQ(catalog().session_by_id("ses_a")->state, SessionState::ended);

  ended.told = true;  // the same owner again: accepted
  EXPECT_TRUE(catalog().save_session(ended));

  // A new owner raises the floor as it takes over: the old one's new
  // sessions are refused too; the floor never goes down.
  ASSERT_TRUE(catalog().raise_session_fence(9));
  ASSERT_TRUE(catalog().raise_session_fence(2));
  auto fresh = session("ses_b", "shifumi", SessionState::starting, 20);
  fresh.fence = 8;
  auto late = catalog().save_session(fresh);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().field, "fence");
  EXPECT_EQ(catalog().session_by_id("ses_b").error().code, Errc::not_found);
  fresh.fence = 9;
  EXPECT_TRUE(catalog().save_session(fresh));
}

TEST_P(CatalogSuite, FinalSessionsWithPlayersAreUntoldUntilSavedTold) {
  auto ended = session("ses_a", "shifumi", SessionState::ended, 10);
  auto failed = session("ses_b", "shifumi", SessionState::failed, 20);
  auto running = session("ses_c", "shifumi", SessionState::running, 30);
  auto unused = session("ses_d", "shifumi", SessionState::ended, 40);  // a pool server stopped unused
  unused.players.clear();
  for (const auto& s : {ended, failed, running, unused}) ASSERT_TRUE(catalog().save_session(s));

  auto untold = catalog().untold_sessions().value();
  ASSERT_EQ(untold.size(), 2u);
  EXPECT_EQ(untold[0].id, "ses_a");  // oldest first
  EXPECT_EQ(untold[1].id, "ses_b");
  EXPECT_FALSE(untold[0].told);

  ended.told = true;
  ASSERT_TRUE(catalog().save_session(ended));
  untold = catalog().untold_sessions().value();
  ASSERT_EQ(untold.size(), 1u);
  EXPECT_EQ(untold[0].id, "ses_b");
  EXPECT_TRUE(catalog().session_by_id("ses_a")->told);
}

TEST_P(CatalogSuite, RatingsAndLeaderboard) {
  add_account("ada");
  add_account("bob");
  add_account("cyd");
  std::vector<std::string> players{"acc_ada", "acc_bob", "acc_cyd"};
  EXPECT_TRUE(catalog().ratings("shifumi", "duel", players)->empty());  // never rated: left out
  ASSERT_TRUE(catalog().update_ratings("shifumi", "duel", players, "", [](std::vector<PlayerRating> current) {
    EXPECT_EQ(current.size(), 3u);
    EXPECT_EQ(current[1].account_id, "acc_bob");
    EXPECT_EQ(current[1].matches, 0);
    EXPECT_DOUBLE_EQ(current[1].rating.mu, Rating::initial_mu);
    current[0].rating = Rating{30.123456789012345, 2.5};
    current[1].rating = Rating{20, 1};
    current[2].rating = Rating{27, 1};
    for (auto& r : current) r.matches = 1;
    return current;
  }));
  auto stored = catalog().ratings("shifumi", "duel", players).value();
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[0].rating.mu, 30.123456789012345);  // exactly: no precision lost on the way
  EXPECT_EQ(stored[0].matches, 1);
  EXPECT_TRUE(catalog().ratings("shifumi", "other", players)->empty());

  auto board = catalog().leaderboard("shifumi", "duel", 2).value();
  ASSERT_EQ(board.size(), 2u);
  EXPECT_EQ(board[0].username, "cyd");  // 27 - 3 = 24
  EXPECT_EQ(board[1].username, "ada");  // 30.12 - 7.5 = 22.62
}

// Each player's rating before and after, kept with the session that rated
// them, in the session's order; a session that rated nobody has none.
TEST_P(CatalogSuite, RatingChangesStayWithTheirSession) {
  add_account("ada");
  add_account("bob");
  std::vector<std::string> players{"acc_bob", "acc_ada"};
  auto rate = [&](std::string_view session, double bob_mu, double ada_mu) {
    return catalog().update_ratings("shifumi", "duel", players, session, [&](std::vector<PlayerRating> current) {
      current[0].rating = Rating{bob_mu, 7.5};
      current[1].rating = Rating{ada_mu, 8.0};
      return current;
    });
  };
  ASSERT_TRUE(rate("ses_1", 27.25, 22.75));
  ASSERT_TRUE(rate("ses_2", 28.5, 21.0));
  auto first = catalog().rating_changes("ses_1").value();
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].account_id, "acc_bob");
  EXPECT_EQ(first[0].before.mu, Rating::initial_mu);
  EXPECT_EQ(first[0].before.sigma, Rating::initial_sigma);
  EXPECT_EQ(first[0].after.mu, 27.25);
  EXPECT_EQ(first[0].after.sigma, 7.5);
  EXPECT_EQ(first[1].account_id, "acc_ada");
  EXPECT_EQ(first[1].after.mu, 22.75);
  auto second = catalog().rating_changes("ses_2").value();
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0].before.mu, 27.25);  // where the first session left it
  EXPECT_EQ(second[0].after.mu, 28.5);
  EXPECT_EQ(second[1].before.mu, 22.75);
  EXPECT_TRUE(catalog().rating_changes("ses_none").value().empty());
  ASSERT_TRUE(catalog().update_ratings("shifumi", "duel", players, "", [](auto current) { return current; }));
  EXPECT_TRUE(catalog().rating_changes("").value().empty());
}

TEST_P(CatalogSuite, ConcurrentRatingUpdatesAllCount) {
  add_account("ada");
  std::vector<std::string> players{"acc_ada"};
  auto other = under_test->open_again();  // another replica
  auto bump = [&](Catalog& c) {
    for (int i = 0; i < 15; ++i)
      ASSERT_TRUE(c.update_ratings("shifumi", "duel", players, "", [](std::vector<PlayerRating> current) {
        for (auto& r : current) ++r.matches;
        return current;
      }));
  };
  std::thread a([&] { bump(catalog()); });
  std::thread b([&] { bump(*other); });
  a.join();
  b.join();
  EXPECT_EQ(catalog().ratings("shifumi", "duel", players)->at(0).matches, 30);
}

TEST_P(CatalogSuite, HistoryBelongsToTheGameIdNotToItsName) {
  auto ada = add_account("ada");
  auto bob = add_account("bob");
  auto old_game = game("g", ada.id);
  ASSERT_TRUE(catalog().create_game(old_game));
  ASSERT_TRUE(catalog().save_session(session_of_game("ses_a", old_game, 1000)));
  std::vector<std::string> pat{"acc_pat"};
  ASSERT_TRUE(catalog().update_ratings(old_game.id, "duel", pat, "ses_a", [](std::vector<PlayerRating> r) {
    r[0].matches = 1;
    return r;
  }));
  ASSERT_TRUE(catalog().delete_game(catalog().game_by_name("g")->id));

  auto new_game = game("g", bob.id);
  new_game.id = "gam_g_again";
  ASSERT_TRUE(catalog().create_game(new_game));
  EXPECT_EQ(catalog().game_by_name("g")->id, "gam_g_again");
  EXPECT_TRUE(catalog().sessions_of_game(new_game.id, 10)->empty());
  EXPECT_TRUE(catalog().ratings(new_game.id, "duel", pat)->empty());
  EXPECT_TRUE(catalog().leaderboard(new_game.id, "duel", 10)->empty());
  // The old game's history is still there, under its own id.
  auto old_sessions = catalog().sessions_of_game(old_game.id, 10).value();
  ASSERT_EQ(old_sessions.size(), 1u);
  EXPECT_EQ(old_sessions[0].game_id, old_game.id);
  EXPECT_EQ(catalog().ratings(old_game.id, "duel", pat)->size(), 1u);

  // The id is immutable: an update is of the game with its id, and one
  // naming another id changes nothing.
  new_game.id = "gam_other";
  new_game.title = "G";
  EXPECT_EQ(catalog().update_game(new_game).error().code, Errc::not_found);
  EXPECT_EQ(catalog().game_by_name("g")->id, "gam_g_again");
  EXPECT_NE(catalog().game_by_name("g")->title, "G");
}

TEST_P(CatalogSuite, UsageSumsFinishedSessionsPerGame) {
  auto g = game("g", "acc_ada");
  auto used = [&](std::string id, SessionState state, int seconds) {
    auto s = session_of_game(std::move(id), g, 1000);
    s.state = state;
    s.cpu = 0.5;
    s.memory_mb = 128;
    s.started_at = TimePoint{std::chrono::seconds(10)};
    if (is_final(state)) s.ended_at = s.started_at + std::chrono::seconds(seconds);
    return s;
  };
  ASSERT_TRUE(catalog().save_session(used("ses_1", SessionState::ended, 10)));
  ASSERT_TRUE(catalog().save_session(used("ses_2", SessionState::failed, 30)));
  ASSERT_TRUE(catalog().save_session(used("ses_3", SessionState::running, 0)));  // live: the director counts it
  auto other = session_of_game("ses_4", game("h", "acc_bob"), 1000);
  ASSERT_TRUE(catalog().save_session(other));
  auto usage = catalog().usage_of("acc_ada").value();
  ASSERT_EQ(usage.size(), 1u);
  EXPECT_EQ(usage[0].game_id, g.id);
  EXPECT_EQ(usage[0].game, "g");
  EXPECT_EQ(usage[0].sessions, 2);
  EXPECT_DOUBLE_EQ(usage[0].used.server_seconds, 40);
  EXPECT_DOUBLE_EQ(usage[0].used.cpu_seconds, 20);
  EXPECT_DOUBLE_EQ(usage[0].used.memory_mb_seconds, 40 * 128);
  EXPECT_TRUE(catalog().usage_of("acc_nobody")->empty());
}

TEST_P(CatalogSuite, OperatorIsARoleAndAccountsArePromoted) {
  auto root = add_account("root", Role::operator_);
  EXPECT_EQ(catalog().account_by_id(root.id)->role, Role::operator_);
  auto ada = add_account("ada");
  ASSERT_TRUE(catalog().set_role(ada.id, Role::operator_));
  EXPECT_EQ(catalog().account_by_username("ada")->role, Role::operator_);
  ASSERT_TRUE(catalog().set_role(ada.id, Role::developer));
  EXPECT_EQ(catalog().account_by_username("ada")->role, Role::developer);
  auto missing = catalog().set_role("acc_none", Role::operator_);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
  EXPECT_EQ(missing.error().field, "username");
}

TEST_P(CatalogSuite, AllGamesListsEveryOwnersGamesByName) {
  auto ada = add_account("ada");
  auto bob = add_account("bob");
  ASSERT_TRUE(catalog().create_game(game("shifumi", ada.id)));
  ASSERT_TRUE(catalog().create_game(game("chess", bob.id)));
  ASSERT_TRUE(catalog().create_game(game("arena", ada.id)));
  auto all = catalog().all_games().value();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].name, "arena");
  EXPECT_EQ(all[1].name, "chess");
  EXPECT_EQ(all[1].owner_id, bob.id);
  EXPECT_EQ(all[2].name, "shifumi");
  ASSERT_TRUE(catalog().delete_game(catalog().game_by_name("chess")->id));
  EXPECT_EQ(catalog().all_games()->size(), 2u);
}

TEST_P(CatalogSuite, ApiKeysAreFoundById) {
  auto ada = add_account("ada");
  ApiKey key{"key_1", ada.id, "ci", "hash-1", "wgk_abcdef", TimePoint{std::chrono::seconds(5)}};
  ASSERT_TRUE(catalog().create_api_key(key));
  auto read = catalog().api_key_by_id("key_1").value();
  EXPECT_EQ(read.owner_id, ada.id);
  EXPECT_EQ(read.name, "ci");
  auto missing = catalog().api_key_by_id("key_2");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
  EXPECT_EQ(missing.error().field, "key");
}

namespace {

// Ids of a page, in order.
std::vector<std::string> ids(const SessionPage& page) {
  std::vector<std::string> out;
  for (const auto& s : page.items) out.push_back(s.id);
  return out;
}

}  // namespace

TEST_P(CatalogSuite, ListSessionsFiltersByOwnerGameStatePlayerAndTime) {
  auto chess = game("chess", "acc_ada");
  auto go = game("go", "acc_bob");
  auto add = [&](std::string id, const Game& g, SessionState state, std::int64_t matched_ms, std::string player) {
    auto s = session_of_game(std::move(id), g, matched_ms);
    s.state = state;
    s.players = {SessionPlayer{"acc_" + player, player, 0, "tkt_" + player, false}};
    ASSERT_TRUE(catalog().save_session(s));
  };
  add("ses_1", chess, SessionState::ended, 1000, "pat");
  add("ses_2", chess, SessionState::failed, 2000, "sam");
  add("ses_3", go, SessionState::running, 3000, "pat");
  add("ses_4", chess, SessionState::running, 4000, "kim");

  SessionQuery all;
  EXPECT_EQ(ids(catalog().list_sessions(all).value()), (std::vector<std::string>{"ses_4", "ses_3", "ses_2", "ses_1"}));
  EXPECT_FALSE(catalog().list_sessions(all)->next);

  SessionQuery adas;
  adas.owner_id = "acc_ada";
  EXPECT_EQ(ids(catalog().list_sessions(adas).value()), (std::vector<std::string>{"ses_4", "ses_2", "ses_1"}));
  adas.owner_id = "acc_nobody";
  EXPECT_TRUE(catalog().list_sessions(adas)->items.empty());

  SessionQuery by_game;
  by_game.game = "go";
  EXPECT_EQ(ids(catalog().list_sessions(by_game).value()), (std::vector<std::string>{"ses_3"}));

  SessionQuery by_state;
  by_state.state = SessionState::running;
  EXPECT_EQ(ids(catalog().list_sessions(by_state).value()), (std::vector<std::string>{"ses_4", "ses_3"}));
  by_state.owner_id = "acc_ada";
  EXPECT_EQ(ids(catalog().list_sessions(by_state).value()), (std::vector<std::string>{"ses_4"}));

  SessionQuery by_player;
  by_player.player = "pat";  // a username…
  EXPECT_EQ(ids(catalog().list_sessions(by_player).value()), (std::vector<std::string>{"ses_3", "ses_1"}));
  by_player.player = "acc_sam";  // …or an account id
  EXPECT_EQ(ids(catalog().list_sessions(by_player).value()), (std::vector<std::string>{"ses_2"}));
  by_player.player = "pa";  // never a part of one
  EXPECT_TRUE(catalog().list_sessions(by_player)->items.empty());

  SessionQuery by_time;
  by_time.since = TimePoint{std::chrono::milliseconds(2000)};  // inclusive
  by_time.until = TimePoint{std::chrono::milliseconds(4000)};  // exclusive
  EXPECT_EQ(ids(catalog().list_sessions(by_time).value()), (std::vector<std::string>{"ses_3", "ses_2"}));
}

TEST_P(CatalogSuite, ListSessionsPagesWithACursorThroughTies) {
  auto g = game("g", "acc_ada");
  // Five sessions matched in the same millisecond, and two later: a page
  // boundary inside the tie must neither repeat nor skip one.
  for (auto id : {"ses_c", "ses_a", "ses_e", "ses_b", "ses_d"})
    ASSERT_TRUE(catalog().save_session(session_of_game(id, g, 5000)));
  ASSERT_TRUE(catalog().save_session(session_of_game("ses_f", g, 6000)));
  ASSERT_TRUE(catalog().save_session(session_of_game("ses_g", g, 7000)));

  std::vector<std::string> seen;
  SessionQuery q;
  q.limit = 3;
  int pages = 0;
  while (true) {
    auto page = catalog().list_sessions(q).value();
    ++pages;
    ASSERT_LE(page.items.size(), 3u);
    for (auto& id : ids(page)) seen.push_back(id);
    if (!page.next) break;
    q.after = page.next;
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<std::string>{"ses_g", "ses_f", "ses_a", "ses_b", "ses_c", "ses_d", "ses_e"}));

  // A page that ends with the last session has no next, even when full.
  SessionQuery exact;
  exact.limit = 7;
  auto whole = catalog().list_sessions(exact).value();
  EXPECT_EQ(whole.items.size(), 7u);
  EXPECT_FALSE(whole.next);
}

}  // namespace webgames::testing
