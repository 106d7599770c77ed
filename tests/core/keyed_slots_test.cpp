// KeyedSlots: at most N held per key, each given back once.
#include "core/keyed_slots.h"

#include <gtest/gtest.h>
#include <boost/asio/ip/address.hpp>

namespace webgames {
namespace {

const auto kOne = boost::asio::ip::make_address("203.0.113.7");
const auto kOther = boost::asio::ip::make_address("2001:db8::7");

TEST(KeyedSlots, AnAddressHoldsAtMostItsSlotsAndOthersAreNotCounted) {
  KeyedSlots<boost::asio::ip::address> slots(2);
  auto a = slots.take(kOne);
  auto b = slots.take(kOne);
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(slots.take(kOne));
  EXPECT_TRUE(slots.take(kOther));  // given back at once: it was not kept
  auto c = slots.take(kOther);
  EXPECT_TRUE(c);
  EXPECT_EQ(slots.keys(), 2u);
}

TEST(KeyedSlots, ASlotIsGivenBackOnceWhenItsLastHolderLetsItGo) {
  KeyedSlots<boost::asio::ip::address> slots(1);
  {
    auto first = slots.take(kOne);
    ASSERT_TRUE(first);
    std::optional<KeyedSlots<boost::asio::ip::address>::Slot> moved(std::move(*first));  // an upgrade takes it along
    first.reset();  // the moved-from one gives nothing back
    EXPECT_FALSE(slots.take(kOne));
  }
  EXPECT_EQ(slots.keys(), 0u);
  auto again = slots.take(kOne);
  EXPECT_TRUE(again);
  EXPECT_FALSE(slots.take(kOne));
}

}  // namespace
}  // namespace webgames
