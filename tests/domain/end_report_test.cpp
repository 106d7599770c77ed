// The end report's checks against its session (docs/server-sdk.md, "end").
#include "domain/end_report.h"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

namespace webgames {
namespace {

Session duel() {
  Session s;
  s.id = "ses_1";
  s.teams = 2;
  s.players = {{"acc_a", "ada", 0, "tkt_a", true}, {"acc_b", "bob", 1, "tkt_b", true}};
  return s;
}

Result<std::string> report(std::string_view body) { return end_results_text(boost::json::parse(body), duel()); }

TEST(EndReport, KeepsAValidReportAsSent) {
  auto r = report(R"({"results":[{"player_id":"acc_a","team":0,"rank":1,"score":3,"mode":"x"},
                                   {"player_id":"acc_b","rank":2}]})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, R"([{"player_id":"acc_a","team":0,"rank":1,"score":3,"mode":"x"},{"player_id":"acc_b","rank":2}])");
  EXPECT_TRUE(report(R"({"results":[{"team":0,"rank":1},{"team":1,"rank":2},{"player_id":"acc_a","team":0}]})"));
  EXPECT_EQ(*report("{}"), "[]");
}

TEST(EndReport, RefusesAPlayerNamedTwice) {
  auto r =
      report(R"({"results":[{"player_id":"acc_a","rank":1},{"player_id":"acc_b"},{"player_id":"acc_a","rank":2}]})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::invalid_field);
  EXPECT_EQ(r.error().field, "results[2].player_id");
  EXPECT_EQ(r.error().message, "results[2].player_id names the player of results[0] again");
}

TEST(EndReport, RefusesAPlayerGivenATeamNotTheirs) {
  auto r = report(R"({"results":[{"player_id":"acc_a","team":1,"rank":1}]})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::invalid_field);
  EXPECT_EQ(r.error().field, "results[0].team");
  EXPECT_EQ(r.error().message, "results[0].team is not the player's: they play in team 0");
}

TEST(EndReport, RefusesATeamReportedTwice) {
  auto r = report(R"({"results":[{"team":1,"rank":1},{"team":1,"rank":2}]})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "results[1].team");
}

TEST(EndReport, RefusesStrangersAndTeamsTheSessionDoesNotHave) {
  EXPECT_EQ(report(R"({"results":[{"player_id":"acc_x"}]})").error().field, "results[0].player_id");
  EXPECT_EQ(report(R"({"results":[{"player_id":7}]})").error().field, "results[0].player_id");
  EXPECT_EQ(report(R"({"results":[{"team":2}]})").error().field, "results[0].team");
  EXPECT_EQ(report(R"({"results":[{"player_id":"acc_a","team":"0"}]})").error().field, "results[0].team");
  EXPECT_EQ(report(R"({"results":[{"rank":1}]})").error().field, "results[0]");
}

TEST(EndReport, SaysWhatATeamOrAPlayerMustBe) {
  auto fraction = report(R"({"results":[{"team":1.0}]})");
  ASSERT_FALSE(fraction);
  EXPECT_EQ(fraction.error().code, Errc::invalid_request);
  EXPECT_EQ(fraction.error().message, "results[0].team must be an integer");
  auto beyond = report(R"({"results":[{"team":18446744073709551615}]})");
  ASSERT_FALSE(beyond);
  EXPECT_EQ(beyond.error().code, Errc::invalid_field);
  EXPECT_EQ(beyond.error().message, "results[0].team is not a team of this session (0 to 1)");
  auto number = report(R"({"results":[{"player_id":7}]})");
  ASSERT_FALSE(number);
  EXPECT_EQ(number.error().code, Errc::invalid_request);
  EXPECT_EQ(number.error().message, "results[0].player_id must be a string");
}

}  // namespace
}  // namespace webgames
