#include "auth/access_tokens.h"

#include "auth/jwt.h"

#include <openssl/sha.h>
#include <boost/json/object.hpp>

#include <cstring>

namespace webgames {

namespace json = boost::json;

AccessTokens::AccessTokens(KeyRing keys, const Clock& clock, Seconds ttl, std::size_t cache_capacity)
    : keys_(std::make_shared<const KeyRing>(std::move(keys))),
      clock_(clock),
      ttl_(ttl),
      shard_capacity_(std::max<std::size_t>(1, cache_capacity / 16)) {}

void AccessTokens::use_keys(KeyRing keys) {
  {
    std::lock_guard lock(keys_mutex_);
    keys_ = std::make_shared<const KeyRing>(std::move(keys));
  }
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    shard.verified.clear();
  }
}

std::shared_ptr<const KeyRing> AccessTokens::keys() const {
  std::lock_guard lock(keys_mutex_);
  return keys_;
}

IssuedToken AccessTokens::issue(const Account& account, std::string_view login_id) const {
  auto now = clock_.now();
  auto expires = now + ttl_;
  json::object claims{
      {"iss", "webgames"},
      {"sub", account.id},
      {"name", account.username},
      {"role", to_string(account.role)},
      {"sid", login_id},
      {"iat", unix_seconds(now)},
      {"exp", unix_seconds(expires)},
  };
  return {sign_jwt(claims, keys()->signing()), from_unix_seconds(unix_seconds(expires))};
}

AccessTokens::Digest AccessTokens::digest_of(std::string_view token) {
  Digest d;
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), d.data());
  return d;
}

// The digest is uniform already: its first bytes are the bucket's hash, the
// last one picks the shard.
std::size_t AccessTokens::DigestHash::operator()(const Digest& d) const {
  std::size_t h;
  std::memcpy(&h, d.data(), sizeof h);
  return h;
}

AccessTokens::Shard& AccessTokens::shard_of(const Digest& digest) { return shards_[digest.back() % shards_.size()]; }

Result<Principal> AccessTokens::verify(std::string_view token) {
  bool first_sight = false;
  auto p = verify(token, &first_sight);
  if (p && first_sight) remember(token, *p);
  return p;
}

Result<Principal> AccessTokens::verify(std::string_view token, bool* first_sight) {
  auto now = clock_.now();
  *first_sight = false;
  auto digest = digest_of(token);
  auto& shard = shard_of(digest);
  {
    std::lock_guard lock(shard.mutex);
    if (auto it = shard.verified.find(digest); it != shard.verified.end()) {
      if (now >= it->second.expires_at) {
        shard.verified.erase(it);
        return make_error(Errc::token_expired, "token has expired", "token");
      }
      Principal p = it->second;
      if (is_revoked(p.login_id)) return make_error(Errc::unauthenticated, "token was revoked by logout", "token");
      return p;
    }
  }

  auto claims = verify_jwt(token, *keys(), now);
  if (!claims) return claims.error();
  auto text = [&](std::string_view k) -> std::string {
    auto* v = claims->if_contains(k);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  Principal p;
  p.account_id = text("sub");
  p.login_id = text("sid");
  p.name = text("name");
  auto role = parse_role(text("role"));
  if (p.account_id.empty() || !role) return make_error(Errc::unauthenticated, "token lacks its claims", "token");
  p.role = *role;
  p.expires_at = from_unix_seconds(claims->at("exp").get_int64());
  if (is_revoked(p.login_id)) return make_error(Errc::unauthenticated, "token was revoked by logout", "token");
  *first_sight = true;
  return p;
}

void AccessTokens::remember(std::string_view token, const Principal& p) {
  auto now = clock_.now();
  auto digest = digest_of(token);
  auto& shard = shard_of(digest);
  std::lock_guard lock(shard.mutex);
  if (shard.verified.size() >= shard_capacity_) {
    std::erase_if(shard.verified, [&](const auto& kv) { return now >= kv.second.expires_at; });
    // Still full of live tokens: start over rather than grow without bound.
    if (shard.verified.size() >= shard_capacity_) shard.verified.clear();
  }
  shard.verified.emplace(digest, p);
}

void AccessTokens::revoke_login(const std::string& login_id) {
  auto until = clock_.now() + ttl_;
  revoke_login(login_id, until);
  if (on_logout_) on_logout_(login_id, until);
}

void AccessTokens::revoke_login(const std::string& login_id, TimePoint until) {
  auto now = clock_.now();
  if (login_id.empty() || until <= now) return;
  {
    std::lock_guard lock(revoked_mutex_);
    while (!revoked_ends_.empty() && revoked_ends_.top().first <= now) {
      auto ended = revoked_.find(revoked_ends_.top().second);
      if (ended != revoked_.end() && ended->second <= now) revoked_.erase(ended);
      revoked_ends_.pop();
    }
    auto& kept = revoked_[login_id];
    if (until > kept) {
      kept = until;
      revoked_ends_.emplace(until, login_id);
    }
    revoked_count_.store(revoked_.size());
  }
  if (on_revoked_) on_revoked_(login_id);
}

bool AccessTokens::is_revoked(const std::string& login_id) {
  if (login_id.empty() || revoked_count_.load(std::memory_order_relaxed) == 0) return false;
  std::lock_guard lock(revoked_mutex_);
  return revoked_.contains(login_id);
}

}  // namespace webgames
