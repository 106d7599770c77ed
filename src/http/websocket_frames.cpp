#include "http/websocket_frames.h"

#include <algorithm>

namespace webgames::http::ws {

namespace {

constexpr std::uint8_t kFinal = 0x80;
constexpr std::uint8_t kReserved = 0x70;
constexpr std::uint8_t kOpcode = 0x0F;
constexpr std::uint8_t kMasked = 0x80;
constexpr std::uint8_t kLength = 0x7F;

std::uint64_t big_endian(const std::uint8_t* p, int n) {
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

// Section 7.4: the codes a close frame may carry (1004 to 1006 and 1015 are
// never sent; 1016 to 2999 are reserved; 3000 to 4999 are for libraries and
// applications).
bool valid_close_code(std::uint16_t code) {
  if (code >= 3000 && code <= 4999) return true;
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014);
}

bool is_control(Opcode opcode) { return (static_cast<std::uint8_t>(opcode) & 0x8) != 0; }

}  // namespace

FrameHeader server_frame_header(Opcode opcode, std::uint64_t payload) {
  FrameHeader h;
  h.bytes[0] = kFinal | static_cast<std::uint8_t>(opcode);
  int extra = 0;
  if (payload <= 125) {
    h.bytes[1] = static_cast<std::uint8_t>(payload);
  } else if (payload <= 0xFFFF) {
    h.bytes[1] = 126;
    extra = 2;
  } else {
    h.bytes[1] = 127;
    extra = 8;
  }
  for (int i = 0; i < extra; ++i) h.bytes[2 + i] = static_cast<std::uint8_t>(payload >> (8 * (extra - 1 - i)));
  h.size = static_cast<std::uint8_t>(2 + extra);
  return h;
}

std::string close_payload(std::uint16_t code, std::string_view reason) {
  std::string payload;
  payload.push_back(static_cast<char>(code >> 8));
  payload.push_back(static_cast<char>(code & 0xFF));
  payload.append(reason.substr(0, kMaxControlPayload - 2));
  return payload;
}

ClientFrames::Heard ClientFrames::feed(std::span<const std::uint8_t> bytes) {
  Heard heard;
  std::size_t i = 0;
  while (i < bytes.size() && !done_) {
    if (!in_payload_) {
      header_[have_++] = bytes[i++];
      if (have_ == 2 && (header_[1] & kMasked) == 0) {
        // Section 5.1: a server must close on an unmasked frame from a client.
        heard.failed = close_code::protocol_error;
        done_ = true;
        break;
      }
      if (!header_complete()) continue;
      if (auto why = accept_header()) {
        heard.failed = why;
        done_ = true;
        break;
      }
      in_payload_ = true;
      if (left_ == 0) frame_complete(heard);
      continue;
    }
    auto take = static_cast<std::size_t>(std::min<std::uint64_t>(left_, bytes.size() - i));
    if (is_control(opcode_)) {
      const std::uint8_t* mask = &header_[have_ - 4];
      for (std::size_t k = 0; k < take; ++k) control_.push_back(static_cast<char>(bytes[i + k] ^ mask[mask_at_++ & 3]));
    }
    i += take;
    left_ -= take;
    if (left_ == 0) frame_complete(heard);
  }
  return heard;
}

bool ClientFrames::header_complete() {
  if (have_ < 2) return false;
  auto length = header_[1] & kLength;
  std::uint8_t extra = length == 126 ? 2 : length == 127 ? 8 : 0;
  return have_ == 2 + extra + 4;
}

std::uint16_t ClientFrames::accept_header() {
  if ((header_[0] & kReserved) != 0) return close_code::protocol_error;
  bool final = (header_[0] & kFinal) != 0;
  auto opcode = static_cast<Opcode>(header_[0] & kOpcode);
  std::uint64_t length = header_[1] & kLength;
  // Section 5.2: the shortest form of the length must be used.
  if (length == 126) {
    length = big_endian(&header_[2], 2);
    if (length < 126) return close_code::protocol_error;
  } else if (length == 127) {
    length = big_endian(&header_[2], 8);
    if ((length >> 63) != 0 || length <= 0xFFFF) return close_code::protocol_error;
  }
  switch (opcode) {
    case Opcode::close:
    case Opcode::ping:
    case Opcode::pong:
      if (!final || length > kMaxControlPayload) return close_code::protocol_error;
      break;
    case Opcode::continuation:
      if (!in_message_) return close_code::protocol_error;
      break;
    case Opcode::text:
    case Opcode::binary:
      if (in_message_) return close_code::protocol_error;
      break;
    default:
      return close_code::protocol_error;
  }
  if (!is_control(opcode)) {
    // At most max_message_ so far, and length below 2^63: no overflow.
    message_ += length;
    if (message_ > max_message_) return close_code::too_big;
    in_message_ = !final;
    if (final) message_ = 0;
  }
  opcode_ = opcode;
  left_ = length;
  mask_at_ = 0;
  return 0;
}

void ClientFrames::frame_complete(Heard& heard) {
  in_payload_ = false;
  have_ = 0;
  switch (opcode_) {
    case Opcode::ping:
      heard.ping = std::move(control_);
      break;
    case Opcode::close:
      if (control_.size() == 1) {
        heard.failed = close_code::protocol_error;
      } else if (control_.size() >= 2) {
        auto code = static_cast<std::uint16_t>(big_endian(reinterpret_cast<const std::uint8_t*>(control_.data()), 2));
        if (valid_close_code(code))
          heard.close_code = code;
        else
          heard.failed = close_code::protocol_error;
      }
      heard.closed = heard.failed == 0;
      done_ = true;
      break;
    default:
      break;
  }
  control_.clear();
  control_.shrink_to_fit();
}

}  // namespace webgames::http::ws
