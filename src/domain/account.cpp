#include "domain/account.h"

#include <algorithm>

namespace webgames {
namespace {

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

std::string_view to_string(Role role) {
  switch (role) {
    case Role::developer:
      return "developer";
    case Role::operator_:
      return "operator";
    case Role::player:
      break;
  }
  return "player";
}

std::optional<Role> parse_role(std::string_view text) {
  if (text == "player") return Role::player;
  if (text == "developer") return Role::developer;
  if (text == "operator") return Role::operator_;
  return std::nullopt;
}

Result<void> validate_username(std::string_view username) {
  if (username.size() < 3 || username.size() > 32)
    return make_error(Errc::invalid_field, "username must be 3 to 32 characters", "username");
  if (!is_lower_alnum(username.front()))
    return make_error(Errc::invalid_field, "username must start with a lowercase letter or digit", "username");
  bool ok = std::all_of(username.begin(), username.end(),
                        [](char c) { return is_lower_alnum(c) || c == '_' || c == '.' || c == '-'; });
  if (!ok) return make_error(Errc::invalid_field, "username may contain only a-z, 0-9, '_', '.' and '-'", "username");
  if (username.starts_with("guest-"))
    return make_error(Errc::invalid_field, "usernames starting with 'guest-' are reserved for guests", "username");
  return {};
}

Result<void> validate_password(std::string_view password) {
  if (password.size() < 8) return make_error(Errc::invalid_field, "password must be at least 8 characters", "password");
  if (password.size() > kMaxPasswordBytes)
    return make_error(Errc::invalid_field, "password must be at most 256 bytes", "password");
  return {};
}

Result<void> validate_device_id(std::string_view device_id) {
  if (device_id.size() < 8 || device_id.size() > 128)
    return make_error(Errc::invalid_field, "device_id must be 8 to 128 characters", "device_id");
  bool printable = std::all_of(device_id.begin(), device_id.end(), [](char c) { return c > ' ' && c < 127; });
  if (!printable)
    return make_error(Errc::invalid_field, "device_id must be printable ASCII without spaces", "device_id");
  return {};
}

}  // namespace webgames
