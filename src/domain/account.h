#pragma once
// Accounts: players and the developers who register games.

#include "core/clock.h"
#include "core/error.h"

#include <optional>
#include <string>
#include <string_view>

namespace webgames {

// An operator runs the installation: it sees every developer's games,
// sessions, logs and usage, and changes only its own (docs/auth.md). Nobody
// registers as one: `webgames ctl operator create` makes one, on the server.
enum class Role { player, developer, operator_ };

std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);
// Whether the role registers games and API keys (developers and operators).
inline bool manages_games(Role role) { return role == Role::developer || role == Role::operator_; }

struct Account {
  std::string id;        // "acc_…", never reused
  std::string username;  // unique; guests get "guest-…"
  Role role = Role::player;
  bool guest = false;         // a guest logs in with a device id, not a password
  std::string password_hash;  // Argon2id encoded string; empty for guests. Never leaves the server.
  TimePoint created_at;
};

// Limits on what a client may send. Usernames are 3 to 32 of [a-z0-9_.-],
// starting with a letter or digit; passwords are 8 to 256 bytes; device ids
// 8 to 128 printable ASCII characters.
inline constexpr std::size_t kMaxPasswordBytes = 256;

Result<void> validate_username(std::string_view username);
Result<void> validate_password(std::string_view password);
Result<void> validate_device_id(std::string_view device_id);

}  // namespace webgames
