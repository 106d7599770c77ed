#include "core/encoding.h"

#include <gtest/gtest.h>

namespace webgames {
namespace {

TEST(Base64Url, EncodesRfc4648Vectors) {
  // RFC 4648 section 10, in the URL alphabet and without padding.
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("foob"), "Zm9vYg");
  EXPECT_EQ(base64url_encode("fooba"), "Zm9vYmE");
  EXPECT_EQ(base64url_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
}

TEST(Base64Url, RoundTripsEveryByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (std::size_t n = 0; n <= all.size(); n += 7) {
    auto text = all.substr(0, n);
    EXPECT_EQ(base64url_decode(base64url_encode(text)), text);
  }
}

TEST(Base64Url, RefusesInvalidText) {
  EXPECT_FALSE(base64url_decode("Zm9v="));  // padding is not part of the form
  EXPECT_FALSE(base64url_decode("Zm+v"));   // '+' belongs to the other alphabet
  EXPECT_FALSE(base64url_decode("Z"));      // one character cannot encode a byte
  EXPECT_FALSE(base64url_decode("Zh"));     // non-zero trailing bits: a second encoding of "f"
}

TEST(Ids, HavePrefixAndAreUnique) {
  auto a = new_id("acc_");
  auto b = new_id("acc_");
  EXPECT_EQ(a.size(), 24u);
  EXPECT_TRUE(a.starts_with("acc_"));
  EXPECT_NE(a, b);
}

TEST(Sha256, MatchesKnownDigest) {
  EXPECT_EQ(hex_encode(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace webgames
