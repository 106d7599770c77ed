#pragma once
// `webgames ctl operator create USERNAME`: makes an operator (docs/auth.md)
// in the store `webgames serve` uses with the same configuration. It runs on
// the server's machine (or wherever the catalog database is reachable), not
// through the API, so that a fresh installation gets its first operator:
// nobody can register as one.

#include "app/config.h"
#include "core/clock.h"
#include "core/error.h"
#include "domain/account.h"
#include "store/catalog.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace webgames {

struct OperatorAccount {
  Account account;        // password_hash cleared
  bool created = false;   // a new account, rather than one promoted
  bool promoted = false;  // an existing account whose role changed
};

// An existing account (a player's or developer's) is promoted: its tokens
// carry the old role until it logs in again. A missing one is created with
// the password `password()` returns (validated as registration does).
// invalid_field "username" for a guest or a bad username; the catalog's
// errors otherwise. BLOCKS (opens the catalog, hashes the password).
Result<OperatorAccount> make_operator(const Config& config, std::string_view username,
                                      const std::function<std::string()>& password, const Clock& clock);

// [auth] operators: the existing accounts among `usernames` (comma-
// separated) become operators in `catalog`; the others are named in the
// answer (missing, or guests), for the log. BLOCKS.
std::vector<std::string> promote_operators(Catalog& catalog, std::string_view usernames);

}  // namespace webgames
