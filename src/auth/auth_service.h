#pragma once
// Accounts and credentials: registration, password and guest login, refresh
// token rotation, logout, and developers' API keys.
//
// Every method BLOCKS (Catalog access, Argon2id): run it on the blocking
// pool. Thread-safe.

#include "auth/access_tokens.h"
#include "auth/password.h"
#include "core/clock.h"
#include "core/error.h"
#include "domain/account.h"
#include "domain/credentials.h"
#include "store/catalog.h"

#include <string>
#include <string_view>
#include <vector>

namespace webgames {

struct Tokens {
  Account account;
  IssuedToken access;
  IssuedToken refresh;
};

struct NewApiKey {
  ApiKey record;
  std::string secret;  // "wgk_…": shown to the developer once, never stored
};

class AuthService {
 public:
  // Default refresh-token lifetime: 30 days.
  AuthService(Catalog& catalog, PasswordHasher hasher, AccessTokens& tokens, const Clock& clock,
              Seconds refresh_ttl = Seconds{30 * 24 * 3600});

  // conflict on "username" when taken.
  Result<Tokens> register_account(std::string_view username, std::string_view password, Role role);
  // unauthenticated for an unknown user or a wrong password (the same
  // message for both, and the same time spent).
  Result<Tokens> login(std::string_view username, std::string_view password);
  // The device id is the guest's credential: the same id logs into the same guest.
  Result<Tokens> guest(std::string_view device_id);
  // Rotates: the presented token stops working. unauthenticated when it was
  // already used, revoked or expired. A token presented again after its
  // rotation was copied: the login it belonged to ends (as by a logout:
  // every token of the chain, the thief's or the player's, stops working),
  // unless it was spent within kRefreshRaceGrace (one client's two
  // refreshes racing: the second only fails).
  Result<Tokens> refresh(std::string_view refresh_token);
  Result<void> logout(const Principal& who);

  // REQUIRES: owner is a developer (checked by the caller's route).
  Result<NewApiKey> create_api_key(std::string_view owner_id, std::string_view name);
  // unauthenticated when the key is unknown.
  Result<Principal> authenticate_api_key(std::string_view secret);

  static constexpr std::string_view kApiKeyPrefix = "wgk_";
  static constexpr std::string_view kRefreshPrefix = "wgr_";
  static constexpr Seconds kRefreshRaceGrace{10};

 private:
  Result<Tokens> start_login(Account account);
  // Ends the login whose rotation spent `refresh_hash`, when one did (see refresh()).
  Result<void> end_copied_login(std::string_view refresh_hash);

  Catalog& catalog_;
  PasswordHasher hasher_;
  AccessTokens& tokens_;
  const Clock& clock_;
  Seconds refresh_ttl_;
  std::string dummy_hash_;  // verified against when the user is unknown, to keep timing flat
};

}  // namespace webgames
