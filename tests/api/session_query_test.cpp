// GET /v1/sessions' query string, read without a server (api/session_query.h).

#include "api/session_query.h"

#include <gtest/gtest.h>

namespace webgames::api {
namespace {

TEST(SessionQuery, ReadsEveryFilter) {
  auto q = read_session_query("/v1/sessions?game=chess&state=ended&player=acc_x&since=10&until=20&limit=7");
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->game, "chess");
  EXPECT_EQ(q->state, SessionState::ended);
  EXPECT_EQ(q->player, "acc_x");
  EXPECT_EQ(q->since, TimePoint{std::chrono::seconds(10)});
  EXPECT_EQ(q->until, TimePoint{std::chrono::seconds(20)});
  EXPECT_EQ(q->limit, 7u);
  EXPECT_TRUE(q->owner_id.empty());
  auto none = read_session_query("/v1/sessions");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->limit, 50u);
  EXPECT_FALSE(none->after);
}

TEST(SessionQuery, CursorsRoundTrip) {
  SessionCursor last{TimePoint{std::chrono::milliseconds(1234567)}, "ses_abc"};
  auto q = read_session_query("/v1/sessions?cursor=" + session_cursor_text(last));
  ASSERT_TRUE(q);
  ASSERT_TRUE(q->after);
  EXPECT_EQ(q->after->created_at, last.created_at);
  EXPECT_EQ(q->after->id, "ses_abc");
}

TEST(SessionQuery, RefusesWhatItDoesNotKnow) {
  for (std::string target : {"/v1/sessions?limit=0", "/v1/sessions?state=x", "/v1/sessions?what=1",
                             "/v1/sessions?game=a&game=b", "/v1/sessions?cursor=%%%", "/v1/sessions?since=1&until=1"}) {
    auto q = read_session_query(target);
    EXPECT_FALSE(q) << target;
    if (!q) {
      EXPECT_EQ(q.error().code, Errc::invalid_field) << target;
    }
  }
}

}  // namespace
}  // namespace webgames::api
