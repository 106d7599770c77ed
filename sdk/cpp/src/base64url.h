#pragma once
// Base64url without padding (RFC 4648 section 5), the encoding of JWTs and of
// WEBGAMES_JOIN_KEY.

#include <optional>
#include <string>
#include <string_view>

namespace webgames::sdk::detail {

std::string base64url_encode(std::string_view bytes);
// Empty if `text` is not unpadded base64url.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace webgames::sdk::detail
