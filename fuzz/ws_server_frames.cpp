// WebSocket frames from a player as the server reads them on /v1/events
// (http/websocket_frames.h, used by api/event_stream.cpp): the raw bytes a
// client sends after the upgrade, read once whole and once a byte at a time,
// as a slow network would deliver them. Promised: no crash; the same outcome
// however the bytes are cut (the last ping to answer, the close and its
// code, the failure); a ping's payload within a control frame's limit; a
// failure only with the codes the server sends; nothing read once done.

#include "fuzz_check.h"

#include "http/websocket_frames.h"

#include <cstdint>
#include <optional>
#include <string>

using namespace webgames::http::ws;

namespace {

// What a whole read of the client told the server.
struct Outcome {
  std::optional<std::string> last_ping;
  bool closed = false;
  std::optional<std::uint16_t> close_code;
  std::uint16_t failed = 0;

  void add(const ClientFrames::Heard& heard) {
    if (heard.ping) {
      FUZZ_CHECK(heard.ping->size() <= kMaxControlPayload);
      last_ping = heard.ping;
    }
    FUZZ_CHECK(!(heard.closed && heard.failed != 0));
    FUZZ_CHECK(heard.close_code.has_value() <= heard.closed);
    FUZZ_CHECK(heard.failed == 0 || heard.failed == close_code::protocol_error || heard.failed == close_code::too_big);
    closed = closed || heard.closed;
    if (heard.close_code) close_code = heard.close_code;
    if (heard.failed != 0) failed = heard.failed;
  }
  bool operator==(const Outcome&) const = default;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> bytes(data, size);
  ClientFrames whole(4096);
  Outcome at_once;
  at_once.add(whole.feed(bytes));

  ClientFrames trickle(4096);
  Outcome piece_by_piece;
  for (std::size_t i = 0; i < size; ++i) {
    bool was_done = trickle.done();
    auto heard = trickle.feed(bytes.subspan(i, 1));
    if (was_done) FUZZ_CHECK(!heard.ping && !heard.closed && heard.failed == 0);
    piece_by_piece.add(heard);
  }
  FUZZ_CHECK(whole.done() == trickle.done());
  FUZZ_CHECK(whole.done() == (at_once.closed || at_once.failed != 0));
  FUZZ_CHECK(at_once == piece_by_piece);
  return 0;
}
