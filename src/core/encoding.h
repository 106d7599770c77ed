#pragma once
// Byte encodings and randomness used for tokens and identifiers.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace webgames {

// Base64url without padding (RFC 4648 section 5), as JWTs use.
std::string base64url_encode(std::string_view bytes);
// Empty optional if `text` is not valid unpadded base64url.
std::optional<std::string> base64url_decode(std::string_view text);

std::string hex_encode(std::string_view bytes);

// `n` bytes from the operating system's CSPRNG (libsodium).
std::string random_bytes(std::size_t n);

// A random identifier: `prefix` followed by 20 lowercase base32 characters (100 bits).
std::string new_id(std::string_view prefix);

// SHA-256 of `data`, as raw bytes.
std::string sha256(std::string_view data);

}  // namespace webgames
