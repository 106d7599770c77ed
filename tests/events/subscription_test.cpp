// Subscription's bounded queue and its endings, without a bus.

#include "events/event_bus.h"

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>

#include <string>

namespace webgames {
namespace {

class SubscriptionTest : public ::testing::Test {
 protected:
  boost::asio::io_context io_;
  std::shared_ptr<Subscription> sub_ = std::make_shared<Subscription>(io_.get_executor());
};

TEST_F(SubscriptionTest, AReaderThatKeepsUpIsNeverCutOff) {
  for (int round = 0; round < 4; ++round) {
    for (std::size_t i = 0; i < Subscription::kMaxQueuedEvents; ++i) sub_->push("event " + std::to_string(i));
    for (std::size_t i = 0; i < Subscription::kMaxQueuedEvents; ++i) ASSERT_TRUE(sub_->take()) << round << " " << i;
  }
  EXPECT_FALSE(sub_->ended());
  EXPECT_FALSE(sub_->take());
}

TEST_F(SubscriptionTest, OneEventTooManyBehindDropsTheQueueAndEndsTooSlow) {
  for (std::size_t i = 0; i < Subscription::kMaxQueuedEvents; ++i) sub_->push("event");
  ASSERT_TRUE(sub_->take());
  sub_->push("the last that fits");
  EXPECT_FALSE(sub_->ended());
  sub_->push("one too many");
  EXPECT_TRUE(sub_->ended());
  EXPECT_FALSE(sub_->take()) << "what was queued is dropped";
  EXPECT_EQ(sub_->ending(), Subscription::Ending::too_slow);
  sub_->push("after the end");
  EXPECT_FALSE(sub_->take());
}

TEST_F(SubscriptionTest, TheQueuesBytesAreBoundedToo) {
  std::string big(Subscription::kMaxQueuedBytes / 2, 'x');
  sub_->push(big);
  sub_->push(big);
  EXPECT_FALSE(sub_->ended());
  ASSERT_TRUE(sub_->take());
  sub_->push(big);
  EXPECT_FALSE(sub_->ended()) << "a taken event no longer counts";
  sub_->push("x");
  EXPECT_TRUE(sub_->ended());
  EXPECT_EQ(sub_->ending(), Subscription::Ending::too_slow);
}

TEST_F(SubscriptionTest, EndNowSaysWhyAndDropsWhatIsQueued) {
  sub_->push("queued");
  sub_->end_now(Subscription::Ending::replaced);
  EXPECT_TRUE(sub_->ended());
  EXPECT_FALSE(sub_->take());
  EXPECT_EQ(sub_->ending(), Subscription::Ending::replaced);
  sub_->end_now(Subscription::Ending::too_slow);
  EXPECT_EQ(sub_->ending(), Subscription::Ending::replaced) << "the first ending stands";
}

TEST_F(SubscriptionTest, AnOrdinaryEndDeliversWhatIsQueuedAndSaysClosed) {
  sub_->push("queued");
  sub_->end();
  EXPECT_FALSE(sub_->ended());
  EXPECT_EQ(sub_->take(), "queued");
  EXPECT_TRUE(sub_->ended());
  EXPECT_EQ(sub_->ending(), Subscription::Ending::closed);
}

}  // namespace
}  // namespace webgames
