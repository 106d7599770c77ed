#pragma once
// Short-lived access tokens (JWT, EdDSA) for players and developers.
//
// Verifying an Ed25519 signature costs ~50 µs; a client sends the same token
// on every request for 15 minutes. verify() therefore remembers tokens it has
// verified until they expire, so a request pays a SHA-256 of the token and a
// hash lookup instead of a signature check. Remembered by that digest, not by
// the token's 300-odd bytes: an idle player costs the server a cached token
// (docs/scaling.md). Thread-safe.

#include "auth/ed25519.h"
#include "auth/key_ring.h"
#include "core/clock.h"
#include "core/error.h"
#include "domain/account.h"

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace webgames {

// Who a request acts for.
struct Principal {
  std::string account_id;
  std::string name;  // the account's username, as players see it
  Role role = Role::player;
  std::string login_id;    // empty when authenticated by an API key
  TimePoint expires_at;    // of the access token; far future for API keys
  std::string api_key_id;  // the key's id when authenticated by an API key, else empty

  // The credential that ends what it opened (streams) when it is revoked:
  // its login (at logout) or its API key (at the key's deletion).
  const std::string& credential_id() const { return login_id.empty() ? api_key_id : login_id; }
};

struct IssuedToken {
  std::string token;
  TimePoint expires_at;
};

class AccessTokens {
 public:
  // Signs with `keys.signing()`, accepts every key of `keys`. Default ttl:
  // 15 minutes. The cache holds at most `cache_capacity` tokens.
  AccessTokens(KeyRing keys, const Clock& clock, Seconds ttl = Seconds{15 * 60}, std::size_t cache_capacity = 1 << 16);
  AccessTokens(Ed25519Key key, const Clock& clock, Seconds ttl = Seconds{15 * 60}, std::size_t cache_capacity = 1 << 16)
      : AccessTokens(KeyRing(std::move(key)), clock, ttl, cache_capacity) {}

  // The keys from now on (a reload: SIGHUP). The tokens verified before are
  // verified again, so a key taken out of the ring is refused at once (but
  // for a token whose check was under way: docs/auth.md takes a key out only
  // once its last token has expired).
  void use_keys(KeyRing keys);

  IssuedToken issue(const Account& account, std::string_view login_id) const;

  // unauthenticated (bad, revoked) or token_expired.
  Result<Principal> verify(std::string_view token);
  // The same, for a caller that checks a token's login in the catalog the
  // first time this process sees the token (a logout this process never
  // heard of: before a restart, or on a replica without Redis):
  // `*first_sight` tells it so, and the token is remembered only once the
  // caller calls remember() after its check.
  Result<Principal> verify(std::string_view token, bool* first_sight);
  void remember(std::string_view token, const Principal& principal);

  // Refuses every access token of `login_id` from now on (logout), until the
  // last of them expires (now + ttl), and tells the on_logout handler (which
  // shares the logout with the other replicas: redis/redis_logouts.h).
  void revoke_login(const std::string& login_id);
  // A logout another replica took: refuses `login_id`'s tokens until `until`.
  void revoke_login(const std::string& login_id, TimePoint until);

  using OnLogout = std::function<void(const std::string& login_id, TimePoint until)>;
  // Set once, before serving.
  void on_logout(OnLogout handler) { on_logout_ = std::move(handler); }
  // Runs for every login revoked, this replica's logouts and the others'
  // alike: what was opened with its tokens and is still open (event
  // streams) closes. Set once, before serving; runs on the revoking thread.
  using OnRevoked = std::function<void(const std::string& login_id)>;
  void on_revoked(OnRevoked handler) { on_revoked_ = std::move(handler); }

  std::shared_ptr<const KeyRing> keys() const;
  Seconds ttl() const { return ttl_; }
  const Clock& clock() const { return clock_; }

 private:
  // SHA-256 of the token's bytes: finding another token with the same digest
  // is as hard as forging the signature would be.
  using Digest = std::array<unsigned char, 32>;
  struct DigestHash {
    std::size_t operator()(const Digest& d) const;
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<Digest, Principal, DigestHash> verified;
  };
  static Digest digest_of(std::string_view token);
  Shard& shard_of(const Digest& digest);
  bool is_revoked(const std::string& login_id);

  mutable std::mutex keys_mutex_;
  std::shared_ptr<const KeyRing> keys_;
  const Clock& clock_;
  Seconds ttl_;
  std::size_t shard_capacity_;
  std::array<Shard, 16> shards_;
  std::mutex revoked_mutex_;
  std::unordered_map<std::string, TimePoint> revoked_;  // login id -> when its last token expires
  // The same, soonest first (with stale entries a later revocation left
  // behind): a revocation drops the ended ones in O(log n) each, not by
  // scanning every one (found by an attacker's audit: logout floods).
  std::priority_queue<std::pair<TimePoint, std::string>, std::vector<std::pair<TimePoint, std::string>>, std::greater<>>
      revoked_ends_;
  std::atomic<std::size_t> revoked_count_{0};  // lets the common case skip the lock
  OnLogout on_logout_;
  OnRevoked on_revoked_;
};

}  // namespace webgames
