#include "app/operator_account.h"

#include "app/stores.h"
#include "core/encoding.h"

#include <filesystem>

namespace webgames {

Result<OperatorAccount> make_operator(const Config& config, std::string_view username,
                                      const std::function<std::string()>& password, const Clock& clock) {
  if (auto r = validate_username(username); !r) return r.error();
  std::unique_ptr<Catalog> catalog;
  try {
    if (config.catalog_url.empty()) std::filesystem::create_directories(config.data_dir);
    catalog = make_catalog(config, config.data_dir);
  } catch (const std::exception& e) {
    return make_error(Errc::unavailable, std::string("cannot open the catalog: ") + e.what(), "catalog");
  }
  auto existing = catalog->account_by_username(username);
  if (existing) {
    if (existing->guest) return make_error(Errc::invalid_field, "a guest account cannot be an operator", "username");
    OperatorAccount out{std::move(*existing)};
    out.account.password_hash.clear();
    if (out.account.role == Role::operator_) return out;
    if (auto r = catalog->set_role(out.account.id, Role::operator_); !r) return r.error();
    out.account.role = Role::operator_;
    out.promoted = true;
    return out;
  }
  if (existing.error().code != Errc::not_found) return existing.error();
  auto secret = password();
  if (auto r = validate_password(secret); !r) return r.error();
  Account account{new_id("acc_"),
                  std::string(username),
                  Role::operator_,
                  false,
                  PasswordHasher(password_cost(config.password_cost)).hash(secret),
                  clock.now()};
  if (auto r = catalog->create_account(account); !r) return r.error();
  account.password_hash.clear();
  return OperatorAccount{std::move(account), true, false};
}

std::vector<std::string> promote_operators(Catalog& catalog, std::string_view usernames) {
  std::vector<std::string> not_promoted;
  while (!usernames.empty()) {
    auto comma = usernames.find(',');
    auto name = usernames.substr(0, comma);
    usernames = comma == std::string_view::npos ? std::string_view() : usernames.substr(comma + 1);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name.empty()) continue;
    auto account = catalog.account_by_username(name);
    if (!account || account->guest ||
        (account->role != Role::operator_ && !catalog.set_role(account->id, Role::operator_))) {
      not_promoted.emplace_back(name);
    }
  }
  return not_promoted;
}

}  // namespace webgames
