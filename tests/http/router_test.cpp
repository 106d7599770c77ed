#include "http/router.h"

#include <gtest/gtest.h>

namespace webgames::http {
namespace {

Handler answer(Status status) {
  return [status](RequestContext&) -> boost::asio::awaitable<Response> { co_return Response{status, 11}; };
}

Router sample() {
  Router r;
  r.add(Verb::get, "/v1/games", answer(Status::ok));
  r.add(Verb::post, "/v1/games", answer(Status::created));
  r.add(Verb::get, "/v1/games/{game}", answer(Status::ok));
  r.add(Verb::put, "/v1/games/{game}", answer(Status::ok));
  r.add(Verb::get, "/v1/queues/{game}/{queue}/tickets", answer(Status::ok));
  return r;
}

TEST(Router, MatchesLiteralsAndParameters) {
  auto r = sample();
  auto m = r.match(Verb::get, "/v1/games/shifumi?verbose=1");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/v1/games/{game}");
  EXPECT_EQ(m.params["game"], "shifumi");

  auto q = r.match(Verb::get, "/v1/queues/shifumi/duel/tickets");
  ASSERT_NE(q.route, nullptr);
  EXPECT_EQ(q.params["game"], "shifumi");
  EXPECT_EQ(q.params["queue"], "duel");

  EXPECT_EQ(r.match(Verb::post, "/v1/games").route->index, 1u);
}

TEST(Router, DistinguishesNotFoundFromWrongMethod) {
  auto r = sample();
  auto wrong = r.match(Verb::delete_, "/v1/games/shifumi");
  EXPECT_EQ(wrong.route, nullptr);
  EXPECT_EQ(wrong.allow, "GET, PUT");

  for (std::string_view path : {"/v1/games/shifumi/extra", "/v1/game", "/v1/games/", "/", "", "v1/games", "/v1//"}) {
    auto m = r.match(Verb::get, path);
    EXPECT_EQ(m.route, nullptr) << path;
    EXPECT_TRUE(m.allow.empty()) << path;
  }
}

}  // namespace
}  // namespace webgames::http
