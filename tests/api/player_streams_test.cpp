// PlayerStreams: a player's newest streams stay, the oldest beyond the
// limit are ended `replaced`, and streams that went no longer count.

#include "api/player_streams.h"

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>

namespace webgames::api {
namespace {

class PlayerStreamsTest : public ::testing::Test {
 protected:
  std::shared_ptr<Subscription> open(const std::string& player, const std::string& login = "lgn_1") {
    auto s = std::make_shared<Subscription>(io_.get_executor());
    streams_.opened(player, login, s);
    return s;
  }

  boost::asio::io_context io_;
  PlayerStreams streams_{2};
};

TEST_F(PlayerStreamsTest, TheThirdStreamEndsThePlayersOldest) {
  auto first = open("a");
  auto second = open("a");
  EXPECT_FALSE(first->ended());
  auto third = open("a");
  EXPECT_TRUE(first->ended());
  EXPECT_EQ(first->ending(), Subscription::Ending::replaced);
  EXPECT_FALSE(second->ended());
  EXPECT_FALSE(third->ended());
  auto fourth = open("a");
  EXPECT_TRUE(second->ended());
  EXPECT_FALSE(third->ended());
}

TEST_F(PlayerStreamsTest, PlayersCountApart) {
  auto a1 = open("a");
  auto a2 = open("a");
  auto b1 = open("b");
  auto b2 = open("b");
  for (auto* s : {&a1, &a2, &b1, &b2}) EXPECT_FALSE((*s)->ended());
}

TEST_F(PlayerStreamsTest, AStreamThatWentNoLongerCounts) {
  auto first = open("a");
  auto second = open("a");
  second.reset();
  auto third = open("a");
  EXPECT_FALSE(first->ended());
  EXPECT_FALSE(third->ended());
}

TEST_F(PlayerStreamsTest, ALogoutEndsTheStreamsItsLoginOpenedOnly) {
  auto phone = open("a", "lgn_phone");
  auto laptop = open("a", "lgn_laptop");
  auto other = open("b", "lgn_other");
  auto by_key = open("c", "");  // an API key's: no login
  streams_.revoked("lgn_phone");
  EXPECT_TRUE(phone->ended());
  EXPECT_EQ(phone->ending(), Subscription::Ending::revoked);
  EXPECT_FALSE(laptop->ended());
  EXPECT_FALSE(other->ended());
  streams_.revoked("");
  EXPECT_FALSE(by_key->ended()) << "an empty login names no stream";
  streams_.revoked("lgn_laptop");
  EXPECT_TRUE(laptop->ended());
}

}  // namespace
}  // namespace webgames::api
