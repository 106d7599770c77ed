// check_query: a route's query parameters, none unknown, none twice.
#include "api/query_params.h"

#include <gtest/gtest.h>

namespace webgames::api {
namespace {

TEST(CheckQuery, TakesTheRoutesParametersInAnyOrderAndEmptyPairs) {
  EXPECT_TRUE(check_query("/v1/events", {"since", "token"}));
  EXPECT_TRUE(check_query("/v1/events?", {"since", "token"}));
  EXPECT_TRUE(check_query("/v1/events?token=t&&since=3&", {"since", "token"}));
  EXPECT_TRUE(check_query("/v1/events?since", {"since", "token"}));
}

TEST(CheckQuery, RefusesAnUnknownParameterNamingItAndWhatTheRouteTakes) {
  auto r = check_query("/v1/usage?developer=a&bogus=1", {"developer"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::invalid_field);
  EXPECT_EQ(r.error().field, "bogus");
  EXPECT_EQ(r.error().message, "unknown parameter \"bogus\"; this route takes developer");
  auto long_name = check_query("/v1/usage?" + std::string(100, 'x') + "=1", {"developer"});
  ASSERT_FALSE(long_name);
  EXPECT_EQ(long_name.error().field, std::string(32, 'x'));
}

TEST(CheckQuery, RefusesAParameterGivenTwice) {
  auto r = check_query("/v1/events?since=1&token=t&since=2", {"since", "token"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "since");
  EXPECT_EQ(r.error().message, "since is given twice");
}

}  // namespace
}  // namespace webgames::api
