// What `webgames ctl --output table` prints: aligned columns, cut cells,
// flattened fields.

#include "ctl/output.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include <array>

namespace webgames::ctl {
namespace {

namespace json = boost::json;

TEST(CtlOutput, TablesAlignColumnsAndShowMissingCellsAsADash) {
  auto rows = json::parse(R"([
    {"id":"ses_1","state":"ended","players":[{"id":"acc_a","name":"alice"},{"id":"acc_b","name":"bob"}],
     "timings":{"matched_at":"2026-11-26T08:00:00.000Z"}},
    {"id":"ses_longer","state":"running","players":[],"timings":{"matched_at":null}}
  ])")
                  .as_array();
  const std::array<Column, 4> columns{
      {{"ID", "id"}, {"STATE", "state"}, {"PLAYERS", "players", Column::names}, {"MATCHED", "timings.matched_at"}}};
  EXPECT_EQ(render_table(rows, columns),
            "ID          STATE    PLAYERS    MATCHED\n"
            "ses_1       ended    alice,bob  2026-11-26T08:00:00.000Z\n"
            "ses_longer  running  -          -\n");
}

TEST(CtlOutput, AnEmptyTableSaysNone) {
  const std::array<Column, 1> columns{{{"NAME", "name"}}};
  EXPECT_EQ(render_table(json::array{}, columns), "NAME\n(none)\n");
}

TEST(CtlOutput, UnixTimesAreShownInUtcAndLongCellsAreCut) {
  auto rows = json::parse(R"([{"t":0,"s":")" + std::string(70, 'x') + R"(\nline"}])").as_array();
  const std::array<Column, 2> columns{{{"T", "t", Column::unix_time}, {"S", "s"}}};
  auto text = render_table(rows, columns);
  EXPECT_NE(text.find("1970-01-01 00:00:00Z  " + std::string(59, 'x') + "…\n"), std::string::npos) << text;
}

TEST(CtlOutput, FieldsAreFlattenedAndAligned) {
  auto object = json::parse(R"({"id":"ses_1","timings":{"ready_at":"t1"},"ports":{},"tags":["a","b"],
                                "players":[{"id":"acc_a"}],"results":null})")
                    .as_object();
  EXPECT_EQ(render_fields(object),
            "id:               ses_1\n"
            "timings.ready_at: t1\n"
            "ports:            -\n"
            "tags:             a,b\n"
            "players[0]:       {\"id\":\"acc_a\"}\n"
            "results:          -\n");
}

TEST(CtlOutput, ValueAtFollowsDottedPaths) {
  auto row = json::parse(R"({"a":{"b":{"c":1}},"x":2})").as_object();
  ASSERT_NE(value_at(row, "a.b.c"), nullptr);
  EXPECT_EQ(*value_at(row, "a.b.c"), 1);
  EXPECT_EQ(value_at(row, "a.z"), nullptr);
  EXPECT_EQ(value_at(row, "x.y"), nullptr);
}

}  // namespace
}  // namespace webgames::ctl
