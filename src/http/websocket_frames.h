#pragma once
// WebSocket frames (RFC 6455, section 5) for a server that frames a stream
// itself once Beast has accepted the upgrade: the header of each frame it
// sends, and a reader of the frames the client sends, fed as bytes arrive.
// An idle player's event stream (api/event_stream.h) is held by the
// thousand; Beast's state for one is 2.5 KiB (1.5 KiB of it a read buffer of
// fixed size) and its pending read another kilobyte, where this reader keeps
// a few dozen bytes.
//
// No extension is ever negotiated (the server offers no permessage-deflate),
// so a frame with an RSV bit set is a protocol error. What a client sends on
// such a stream is read only to be dropped: its messages are counted against
// a limit, never kept, and text is not checked for UTF-8.

#include <boost/asio/buffer.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace webgames::http::ws {

enum class Opcode : std::uint8_t { continuation = 0x0, text = 0x1, binary = 0x2, close = 0x8, ping = 0x9, pong = 0xA };

// The close codes (RFC 6455, section 7.4), as Beast names them.
using close_code = boost::beast::websocket::close_code;

// A control frame's payload is at most this long (section 5.5).
inline constexpr std::size_t kMaxControlPayload = 125;

// The header of a frame the server sends: final, unmasked, with `payload`
// bytes following.
struct FrameHeader {
  std::array<std::uint8_t, 10> bytes{};
  std::uint8_t size = 0;

  boost::asio::const_buffer buffer() const { return boost::asio::buffer(bytes.data(), size); }
};
FrameHeader server_frame_header(Opcode opcode, std::uint64_t payload);

// A close frame's payload: `code`, big-endian, then `reason`, cut to fit a
// control frame.
std::string close_payload(std::uint16_t code, std::string_view reason = {});

// The frames of one client, read as its bytes arrive in pieces of any size.
// Once the client closed, or broke the protocol, what follows is ignored.
class ClientFrames {
 public:
  // `max_message`: the longest message (all its fragments) the client may
  // send; a longer one fails with close_code::too_big.
  explicit ClientFrames(std::uint64_t max_message) : max_message_(max_message) {}

  // What a piece of the client's bytes completed.
  struct Heard {
    // The payload of the last ping, to answer with a pong (an endpoint may
    // answer only the latest of several, section 5.5.3).
    std::optional<std::string> ping;
    // The client's close frame arrived: answer with close_payload(its code)
    // or, when it gave none, an empty close.
    bool closed = false;
    std::optional<std::uint16_t> close_code;
    // The client broke the protocol (close_code::protocol_error) or sent a
    // message over the limit (close_code::too_big): send a close with this
    // code and drop the connection.
    std::uint16_t failed = 0;
  };
  Heard feed(std::span<const std::uint8_t> bytes);

  // True once a close arrived or the client failed: nothing more is read.
  bool done() const { return done_; }

 private:
  // Reads the header gathered so far; false when it is not whole yet.
  bool header_complete();
  // Checks the whole header; 0 when it is acceptable, else why not.
  std::uint16_t accept_header();
  // The current frame's payload has all arrived.
  void frame_complete(Heard& heard);

  std::uint64_t max_message_;
  std::array<std::uint8_t, 14> header_{};  // 2, then up to 8 of length, then 4 of mask
  std::uint8_t have_ = 0;                  // header bytes gathered
  bool in_payload_ = false;
  std::uint64_t left_ = 0;    // payload bytes still to come
  std::uint8_t mask_at_ = 0;  // the mask's byte for the next payload byte
  Opcode opcode_ = Opcode::continuation;
  std::string control_;        // a control frame's payload, unmasked
  bool in_message_ = false;    // a fragmented message is under way
  std::uint64_t message_ = 0;  // its bytes so far
  bool done_ = false;
};

}  // namespace webgames::http::ws
