#include "http/websocket_frames.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace webgames::http::ws {
namespace {

using Bytes = std::vector<std::uint8_t>;

struct FrameOptions {
  bool final = true;
  bool masked = true;
  std::uint8_t reserved = 0;  // RSV bits, already shifted into place (0x40, 0x20, 0x10)
  int length_form = 0;        // 0: the shortest; 2 or 8: that many bytes of extended length
};

// A frame as a client sends it: masked with 1 2 3 4.
Bytes client_frame(std::uint8_t opcode, const std::string& payload, FrameOptions o = {}) {
  Bytes f;
  f.push_back(static_cast<std::uint8_t>((o.final ? 0x80 : 0) | o.reserved | opcode));
  std::uint8_t mask_bit = o.masked ? 0x80 : 0;
  int form = o.length_form != 0 ? o.length_form : payload.size() <= 125 ? 0 : payload.size() <= 0xFFFF ? 2 : 8;
  if (form == 0) f.push_back(static_cast<std::uint8_t>(mask_bit | payload.size()));
  if (form == 2) f.push_back(mask_bit | 126);
  if (form == 8) f.push_back(mask_bit | 127);
  for (int i = form - 1; i >= 0; --i) f.push_back(static_cast<std::uint8_t>(payload.size() >> (8 * i)));
  const std::uint8_t mask[4] = {1, 2, 3, 4};
  if (o.masked) f.insert(f.end(), mask, mask + 4);
  for (std::size_t i = 0; i < payload.size(); ++i)
    f.push_back(static_cast<std::uint8_t>(payload[i]) ^ (o.masked ? mask[i % 4] : 0));
  return f;
}

Bytes operator+(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

ClientFrames::Heard feed(ClientFrames& frames, const Bytes& bytes) { return frames.feed(bytes); }

std::string close_body(std::uint16_t code) { return close_payload(code); }

TEST(ServerFrameHeader, UsesTheShortestLengthForm) {
  auto small = server_frame_header(Opcode::text, 125);
  ASSERT_EQ(small.size, 2);
  EXPECT_EQ(small.bytes[0], 0x81);
  EXPECT_EQ(small.bytes[1], 125);

  auto medium = server_frame_header(Opcode::text, 126);
  ASSERT_EQ(medium.size, 4);
  EXPECT_EQ(medium.bytes[1], 126);
  EXPECT_EQ(medium.bytes[2], 0);
  EXPECT_EQ(medium.bytes[3], 126);

  auto large = server_frame_header(Opcode::binary, 0x10000);
  ASSERT_EQ(large.size, 10);
  EXPECT_EQ(large.bytes[0], 0x82);
  EXPECT_EQ(large.bytes[1], 127);
  EXPECT_EQ(large.bytes[7], 1);
  EXPECT_EQ(large.bytes[8], 0);
  EXPECT_EQ(large.bytes[9], 0);

  EXPECT_EQ(server_frame_header(Opcode::close, 0).bytes[0], 0x88);
}

TEST(ClosePayload, IsTheCodeBigEndianThenTheReasonCutToFit) {
  EXPECT_EQ(close_payload(1013, "slow"), std::string("\x03\xF5slow"));
  EXPECT_EQ(close_payload(1001, std::string(200, 'x')).size(), kMaxControlPayload);
}

TEST(ClientFrames, DataMessagesAreDroppedAndTellNothing) {
  ClientFrames frames(4096);
  auto heard = feed(frames, client_frame(0x1, "hello") + client_frame(0x2, std::string(300, 'b')));
  EXPECT_FALSE(heard.ping);
  EXPECT_FALSE(heard.closed);
  EXPECT_EQ(heard.failed, 0);
  EXPECT_FALSE(frames.done());
}

TEST(ClientFrames, APingIsUnmaskedForItsPong) {
  ClientFrames frames(4096);
  auto heard = feed(frames, client_frame(0x9, "are you there"));
  ASSERT_TRUE(heard.ping);
  EXPECT_EQ(*heard.ping, "are you there");
}

TEST(ClientFrames, OnlyTheLastOfSeveralPingsIsAnswered) {
  ClientFrames frames(4096);
  auto heard = feed(frames, client_frame(0x9, "one") + client_frame(0xA, "a pong") + client_frame(0x9, "two"));
  ASSERT_TRUE(heard.ping);
  EXPECT_EQ(*heard.ping, "two");
}

TEST(ClientFrames, AFrameCutAnywhereReadsTheSame) {
  auto bytes = client_frame(0x1, std::string(200, 'm'), {.final = false}) + client_frame(0x9, "ping!") +
               client_frame(0x0, "end") + client_frame(0x8, close_body(1000) + "bye");
  for (std::size_t cut = 1; cut < bytes.size(); ++cut) {
    ClientFrames frames(4096);
    auto first = frames.feed(std::span(bytes).first(cut));
    auto second = frames.feed(std::span(bytes).subspan(cut));
    auto ping = second.ping ? second.ping : first.ping;
    ASSERT_TRUE(ping) << "cut at " << cut;
    EXPECT_EQ(*ping, "ping!");
    EXPECT_TRUE(second.closed) << "cut at " << cut;
    EXPECT_EQ(second.close_code, 1000);
    EXPECT_EQ(first.failed + second.failed, 0);
  }
}

TEST(ClientFrames, ACloseEndsTheReadingWithItsCode) {
  ClientFrames frames(4096);
  auto heard = feed(frames, client_frame(0x8, close_body(4000) + "done") + client_frame(0x9, "after"));
  EXPECT_TRUE(heard.closed);
  EXPECT_EQ(heard.close_code, 4000);
  EXPECT_FALSE(heard.ping) << "nothing is read after the close";
  EXPECT_TRUE(frames.done());
}

TEST(ClientFrames, ACloseWithoutACodeHasNone) {
  ClientFrames frames(4096);
  auto heard = feed(frames, client_frame(0x8, ""));
  EXPECT_TRUE(heard.closed);
  EXPECT_FALSE(heard.close_code);
}

TEST(ClientFrames, ProtocolErrorsFailWith1002) {
  struct Case {
    const char* what;
    Bytes bytes;
  };
  std::vector<Case> cases = {
      {"unmasked", client_frame(0x1, "x", {.masked = false})},
      {"RSV bit set", client_frame(0x1, "x", {.reserved = 0x40})},
      {"unknown opcode", client_frame(0x3, "x")},
      {"unknown control opcode", client_frame(0xB, "")},
      {"fragmented control frame", client_frame(0x9, "x", {.final = false})},
      {"control frame over 125 bytes", client_frame(0x9, std::string(126, 'p'))},
      {"continuation without a message", client_frame(0x0, "x")},
      {"new message inside a fragmented one", client_frame(0x1, "a", {.final = false}) + client_frame(0x1, "b")},
      {"16-bit length under 126", client_frame(0x1, "short", {.length_form = 2})},
      {"64-bit length under 65536", client_frame(0x1, "short", {.length_form = 8})},
      {"close with a one-byte payload", client_frame(0x8, "x")},
      {"close with code 1005", client_frame(0x8, close_body(1005))},
      {"close with code 999", client_frame(0x8, close_body(999))},
      {"close with code 5000", client_frame(0x8, close_body(5000))},
  };
  for (const auto& c : cases) {
    ClientFrames frames(4096);
    auto heard = feed(frames, c.bytes);
    EXPECT_EQ(heard.failed, close_code::protocol_error) << c.what;
    EXPECT_FALSE(heard.closed) << c.what;
    EXPECT_TRUE(frames.done()) << c.what;
  }
}

TEST(ClientFrames, ALengthWithItsTopBitSetFails) {
  Bytes f = {0x82, 0x80 | 127, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4};
  ClientFrames frames(4096);
  EXPECT_EQ(feed(frames, f).failed, close_code::protocol_error);
}

TEST(ClientFrames, AMessageOverTheLimitFailsWith1009AsSoonAsItsHeaderSaysSo) {
  ClientFrames frames(4096);
  auto header_only = client_frame(0x2, std::string(4097, 'z'));
  header_only.resize(8);  // 2 + 2 of length + 4 of mask: no payload yet
  EXPECT_EQ(feed(frames, header_only).failed, close_code::too_big);
}

TEST(ClientFrames, TheLimitCountsEveryFragmentOfAMessage) {
  ClientFrames frames(4096);
  auto heard = feed(frames, client_frame(0x1, std::string(4000, 'a'), {.final = false}) +
                                client_frame(0x0, std::string(96, 'b'), {.final = false}));
  EXPECT_EQ(heard.failed, 0) << "4096 bytes so far: at the limit";
  EXPECT_EQ(feed(frames, client_frame(0x0, "c")).failed, close_code::too_big);

  ClientFrames fresh(4096);
  EXPECT_EQ(feed(fresh, client_frame(0x1, std::string(4096, 'a')) + client_frame(0x1, std::string(4096, 'a'))).failed,
            0)
      << "each message has the whole limit";
}

TEST(ClientFrames, ControlFramesMayComeBetweenFragments) {
  ClientFrames frames(4096);
  auto heard = feed(frames, client_frame(0x1, "a", {.final = false}) + client_frame(0x9, "mid") +
                                client_frame(0x0, "b", {.final = true}));
  EXPECT_EQ(heard.failed, 0);
  ASSERT_TRUE(heard.ping);
  EXPECT_EQ(*heard.ping, "mid");
}

}  // namespace
}  // namespace webgames::http::ws
