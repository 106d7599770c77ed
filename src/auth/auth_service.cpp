#include "auth/auth_service.h"

#include "core/encoding.h"
#include "core/text.h"

#include <spdlog/spdlog.h>

namespace webgames {
namespace {

Error bad_credentials() { return make_error(Errc::unauthenticated, "unknown username or wrong password", "password"); }

}  // namespace

AuthService::AuthService(Catalog& catalog, PasswordHasher hasher, AccessTokens& tokens, const Clock& clock,
                         Seconds refresh_ttl)
    : catalog_(catalog),
      hasher_(hasher),
      tokens_(tokens),
      clock_(clock),
      refresh_ttl_(refresh_ttl),
      dummy_hash_(hasher_.hash(random_bytes(16))) {}

Result<Tokens> AuthService::start_login(Account account) {
  auto secret = std::string(kRefreshPrefix) + base64url_encode(random_bytes(32));
  LoginSession login{new_id("lgn_"), account.id, sha256(secret), clock_.now() + refresh_ttl_, false};
  if (auto r = catalog_.create_login(login); !r) return r.error();
  auto access = tokens_.issue(account, login.id);
  return Tokens{std::move(account), std::move(access), IssuedToken{std::move(secret), login.expires_at}};
}

Result<Tokens> AuthService::register_account(std::string_view username, std::string_view password, Role role) {
  if (auto r = validate_username(username); !r) return r.error();
  if (auto r = validate_password(password); !r) return r.error();
  Account account{new_id("acc_"), std::string(username), role, false, hasher_.hash(password), clock_.now()};
  if (auto r = catalog_.create_account(account); !r) return r.error();
  return start_login(std::move(account));
}

Result<Tokens> AuthService::login(std::string_view username, std::string_view password) {
  if (password.size() > kMaxPasswordBytes) return bad_credentials();
  auto account = catalog_.account_by_username(username);
  if (!account) {
    if (account.error().code != Errc::not_found) return account.error();
    hasher_.verify(dummy_hash_, password);
    return bad_credentials();
  }
  if (account->guest || !hasher_.verify(account->password_hash, password)) return bad_credentials();
  return start_login(std::move(*account));
}

Result<Tokens> AuthService::guest(std::string_view device_id) {
  if (auto r = validate_device_id(device_id); !r) return r.error();
  auto username = "guest-" + hex_encode(sha256(device_id).substr(0, 10));
  auto account = catalog_.account_by_username(username);
  if (!account) {
    if (account.error().code != Errc::not_found) return account.error();
    Account fresh{new_id("acc_"), username, Role::player, true, "", clock_.now()};
    auto created = catalog_.create_account(fresh);
    // A concurrent first login of the same device may have won the race.
    if (!created && created.error().code == Errc::conflict) return guest(device_id);
    if (!created) return created.error();
    account = std::move(fresh);
  }
  return start_login(std::move(*account));
}

Result<Tokens> AuthService::refresh(std::string_view refresh_token) {
  auto unusable =
      make_error(Errc::unauthenticated, "refresh token is unknown, used, revoked or expired", "refresh_token");
  if (!refresh_token.starts_with(kRefreshPrefix) || refresh_token.size() > 128) return unusable;
  auto old_hash = sha256(refresh_token);
  auto login = catalog_.login_by_refresh_hash(old_hash);
  if (!login && login.error().code == Errc::not_found) {
    if (auto r = end_copied_login(old_hash); !r) return r.error();
    return unusable;
  }
  if (!login) return login.error();
  if (login->revoked || clock_.now() >= login->expires_at) return unusable;
  auto account = catalog_.account_by_id(login->account_id);
  if (!account) return account.error().code == Errc::not_found ? unusable : account.error();

  auto secret = std::string(kRefreshPrefix) + base64url_encode(random_bytes(32));
  auto expires = clock_.now() + refresh_ttl_;
  if (auto r = catalog_.rotate_refresh(login->id, old_hash, sha256(secret), expires, clock_.now()); !r)
    return r.error().code == Errc::not_found ? unusable : r.error();
  auto access = tokens_.issue(*account, login->id);
  return Tokens{std::move(*account), std::move(access), IssuedToken{std::move(secret), expires}};
}

Result<void> AuthService::end_copied_login(std::string_view refresh_hash) {
  auto spent = catalog_.spent_refresh(refresh_hash);
  if (!spent) return spent.error().code == Errc::not_found ? Result<void>{} : Result<void>{spent.error()};
  if (clock_.now() - spent->spent_at <= kRefreshRaceGrace) return {};
  auto revoked = catalog_.login_revoked(spent->login_id);
  if (!revoked) return revoked.error().code == Errc::not_found ? Result<void>{} : Result<void>{revoked.error()};
  if (*revoked) return {};
  spdlog::warn("auth: a refresh token spent {} s ago was presented again: its login {} is ended",
               std::chrono::duration_cast<std::chrono::seconds>(clock_.now() - spent->spent_at).count(),
               spent->login_id);
  tokens_.revoke_login(spent->login_id);
  return catalog_.revoke_login(spent->login_id);
}

Result<void> AuthService::logout(const Principal& who) {
  if (who.login_id.empty()) return make_error(Errc::invalid_request, "API keys do not log out; delete the key instead");
  tokens_.revoke_login(who.login_id);
  return catalog_.revoke_login(who.login_id);
}

Result<NewApiKey> AuthService::create_api_key(std::string_view owner_id, std::string_view name) {
  if (name.empty() || name.size() > 64) return make_error(Errc::invalid_field, "name must be 1 to 64 bytes", "name");
  if (holds_control_characters(name))
    return make_error(Errc::invalid_field, "name must not hold control characters", "name");
  auto secret = std::string(kApiKeyPrefix) + base64url_encode(random_bytes(32));
  ApiKey record{new_id("key_"), std::string(owner_id), std::string(name),
                sha256(secret), secret.substr(0, 10),  clock_.now()};
  if (auto r = catalog_.create_api_key(record); !r) return r.error();
  return NewApiKey{std::move(record), std::move(secret)};
}

Result<Principal> AuthService::authenticate_api_key(std::string_view secret) {
  auto unknown = make_error(Errc::unauthenticated, "API key is unknown or deleted", "token");
  if (!secret.starts_with(kApiKeyPrefix) || secret.size() > 128) return unknown;
  auto key = catalog_.api_key_by_hash(sha256(secret));
  if (!key) return key.error().code == Errc::not_found ? unknown : key.error();
  auto owner = catalog_.account_by_id(key->owner_id);
  if (!owner) return owner.error().code == Errc::not_found ? unknown : owner.error();
  return Principal{owner->id, owner->username, owner->role, "", TimePoint::max(), key->id};
}

}  // namespace webgames
