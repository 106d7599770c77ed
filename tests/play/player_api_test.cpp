#include "play/player_api.h"

#include <gtest/gtest.h>

namespace webgames::play {
namespace {

TEST(ResponseError, UsesTheApiErrorBody) {
  auto e =
      response_error({409, R"({"error":{"code":"conflict","message":"you already hold ticket tkt_1","field":""}})"});
  EXPECT_EQ(e.code, Errc::conflict);
  EXPECT_EQ(e.message, "409 conflict: you already hold ticket tkt_1");

  auto field = response_error({400, R"({"error":{"code":"invalid_field","message":"bad","field":"device_id"}})"});
  EXPECT_EQ(field.code, Errc::invalid_field);
  EXPECT_EQ(field.field, "device_id");
  EXPECT_EQ(field.message, "400 invalid_field: bad (field device_id)");
}

TEST(ResponseError, FallsBackOnTheStatus) {
  auto proxy = response_error({502, "<html>Bad Gateway</html>"});
  EXPECT_EQ(proxy.code, Errc::unavailable);
  EXPECT_EQ(proxy.message, "502: <html>Bad Gateway</html>");
  EXPECT_EQ(response_error({404, ""}).code, Errc::not_found);
  EXPECT_EQ(response_error({401, "{}"}).code, Errc::unauthenticated);
  EXPECT_EQ(response_error({409, R"({"error":"weird"})"}).code, Errc::conflict);
}

TEST(PlayerApi, RefusesNamesThatCannotBeGames) {
  PlayerApi api({"127.0.0.1", "1"}, "device-123");
  auto r = api.create_ticket("../admin", "duel");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "game");
  auto q = api.create_ticket("shifumi", "Duel?x=1");
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().field, "queue");
  auto c = api.cancel_ticket("tkt_1/../x");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().field, "ticket");
}

}  // namespace
}  // namespace webgames::play
