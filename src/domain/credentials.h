#pragma once
// Long-lived credentials as the Catalog stores them. Secrets are stored only
// as SHA-256 hashes: a leaked database does not leak a usable token or key.

#include "core/clock.h"

#include <string>

namespace webgames {

// One login of one account: the refresh token chain that a login starts.
// Refreshing rotates the token (the old hash is replaced); logout revokes it.
struct LoginSession {
  std::string id;  // "lgn_…"; access tokens carry it as "sid"
  std::string account_id;
  std::string refresh_hash;  // SHA-256 of the current refresh token
  TimePoint expires_at;      // of the current refresh token
  bool revoked = false;
};

// A refresh token a rotation replaced: presented again, it was copied
// (auth/auth_service.h ends its login).
struct SpentRefresh {
  std::string login_id;
  TimePoint spent_at;
};

// A developer's API key. The key itself is shown once, at creation.
struct ApiKey {
  std::string id;        // "key_…"
  std::string owner_id;  // the developer account it acts for
  std::string name;      // a label chosen by the developer, ≤ 64
  std::string key_hash;  // SHA-256 of the secret
  std::string prefix;    // the first characters of the key, to recognise it in lists
  TimePoint created_at;
};

}  // namespace webgames
