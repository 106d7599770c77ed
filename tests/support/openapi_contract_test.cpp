// The contract check itself: it must fail on what disagrees with the
// document, or the tests it guards prove nothing.

#include "support/openapi_contract.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace webgames::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const OpenApiContract& doc() { return OpenApiContract::document(); }

boost::json::value parse(std::string_view text) { return boost::json::parse(text); }

constexpr std::string_view kAccount =
    R"({"id":"acc_1","username":"ada","role":"developer","guest":false,"created_at":1})";

HttpAnswer json_answer(unsigned status, std::string body) {
  return {status, "application/json", "r-1", std::move(body)};
}

TEST(OpenApiContractTest, AcceptsWhatTheDocumentSays) {
  EXPECT_THAT(doc().check_schema("Account", parse(kAccount)), IsEmpty());
  EXPECT_THAT(doc().check_response("GET", "/v1/account", json_answer(200, std::string(kAccount))), IsEmpty());
  EXPECT_THAT(doc().check_response("DELETE", "/v1/games/g?x=1", {204, "", "r-1", ""}), IsEmpty());
  EXPECT_THAT(doc().check_event(R"({"id":3,"type":"ticket.expired","data":{"ticket_id":"tkt_1"}})"), IsEmpty());
}

TEST(OpenApiContractTest, NamesTheMemberMissingMistypedOrUndocumented) {
  EXPECT_THAT(
      doc().check_schema("Account", parse(R"({"id":"acc_1","username":"ada","role":"developer","guest":false})")),
      ElementsAre(HasSubstr("$.created_at: missing")));
  EXPECT_THAT(doc().check_schema("Account", parse(R"({"id":"acc_1","username":"ada","role":"admin","guest":false,)"
                                                  R"("created_at":1})")),
              ElementsAre(HasSubstr("$.role: is \"admin\", not one of the documented values")));
  EXPECT_THAT(doc().check_schema("Account", parse(R"({"id":"acc_1","username":"ada","role":"player","guest":"no",)"
                                                  R"("created_at":1})")),
              ElementsAre(HasSubstr("$.guest: is string, the document says boolean")));
  EXPECT_THAT(doc().check_schema("Account", parse(R"({"id":"acc_1","username":"ada","role":"player","guest":false,)"
                                                  R"("created_at":1,"secret":1})")),
              ElementsAre(HasSubstr("$.secret: not documented")));
}

TEST(OpenApiContractTest, AllOfIsClosedOverTheUnionOfItsParts) {
  auto key = R"({"id":"key_1","name":"ci","prefix":"wgk_abcdef","created_at":1,"key":"wgk_abcdef123"})";
  EXPECT_THAT(doc().check_schema("NewApiKey", parse(key)), IsEmpty());
  EXPECT_THAT(doc().check_schema("NewApiKey", parse(R"({"id":"key_1","name":"ci","prefix":"p","created_at":1})")),
              ElementsAre(HasSubstr("$.key: missing")));
  EXPECT_THAT(doc().check_schema("NewApiKey",
                                 parse(R"({"id":"key_1","name":"ci","prefix":"p","created_at":1,"key":"k","x":0})")),
              ElementsAre(HasSubstr("$.x: not documented")));
}

TEST(OpenApiContractTest, EventsAreCheckedByTheirType) {
  EXPECT_THAT(doc().check_event(R"({"id":4,"type":"ticket.matched","data":{"ticket_id":"tkt_1"}})"),
              ElementsAre(HasSubstr("event ticket.matched: $.data.match_id: missing")));
  EXPECT_THAT(doc().check_event(R"({"id":4,"type":"ticket.teleported","data":{}})"),
              ElementsAre(HasSubstr("$.type: \"ticket.teleported\" is not one of the documented kinds")));
  EXPECT_THAT(doc().check_event(R"({"id":0,"type":"ticket.expired","data":{"ticket_id":"tkt_1"}})"),
              ElementsAre(HasSubstr("$.id: 0 is below 1")));
}

TEST(OpenApiContractTest, NamesRouteStatusAndPath) {
  EXPECT_THAT(doc().check_response("GET", "/v1/account", json_answer(200, R"({"id":"acc_1"})")),
              ::testing::Contains(HasSubstr("GET /v1/account → 200: $.username: missing")));
  EXPECT_THAT(doc().check_response("GET", "/v1/account", json_answer(418, R"({})")),
              ElementsAre(HasSubstr("GET /v1/account → 418: this status is not documented")));
  EXPECT_THAT(doc().check_response("DELETE", "/v1/games/g", {204, "", "", ""}),
              ElementsAre(HasSubstr("DELETE /v1/games/{game} → 204: no X-Request-Id")));
  EXPECT_THAT(doc().check_response("DELETE", "/v1/games/g", {204, "", "r-1", "{}"}),
              ElementsAre(HasSubstr("a body, where the document says there is none")));
  // The HTTP layer's answers: an Error whatever the route.
  EXPECT_THAT(
      doc().check_response("GET", "/nowhere", json_answer(404, R"({"error":{"code":"not_found","message":"m"}})")),
      IsEmpty());
  EXPECT_THAT(doc().check_response("GET", "/nowhere", json_answer(404, R"({"error":{"code":"nope","message":"m"}})")),
              ElementsAre(HasSubstr("$.error.code")));
}

}  // namespace
}  // namespace webgames::testing
