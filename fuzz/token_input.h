#pragma once
// The input of the token harnesses. A fuzzer cannot forge an Ed25519
// signature, so half the inputs are signed for it: first byte even, the
// rest is the token as sent; odd, the rest is "<header JSON>\n<payload JSON>",
// encoded and signed with `key` as Webgames signs its tokens (auth/jwt.cpp),
// which reaches the claim checks behind the signature.

#include "auth/ed25519.h"
#include "core/encoding.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace webgames::fuzz {

inline std::string token_from_input(const std::uint8_t* data, std::size_t size, const Ed25519Key& key) {
  if (size == 0) return {};
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((data[0] & 1) == 0) return std::string(rest);
  auto newline = rest.find('\n');
  auto header = rest.substr(0, newline);
  auto payload = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
  std::string token = base64url_encode(header) + "." + base64url_encode(payload);
  token += "." + base64url_encode(key.sign(token));
  return token;
}

}  // namespace webgames::fuzz
