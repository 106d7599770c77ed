#pragma once
// The durable stores of an installation as its configuration names them:
// what `webgames serve` opens, and what local commands on the server's
// machine (`webgames ctl operator create`) open to act on the same data.

#include "app/config.h"
#include "auth/password.h"
#include "metrics/histogram.h"
#include "store/catalog.h"

#include <filesystem>
#include <memory>
#include <string>

namespace webgames {

// Shared PostgreSQL when config.catalog_url is set, else SQLite in `dir`
// (the data directory). Migrates the schema. Throws when it cannot be opened.
// `queries`, when given, times PostgreSQL's statements (it must outlive the catalog).
std::unique_ptr<Catalog> make_catalog(const Config& config, const std::filesystem::path& dir,
                                      metrics::Histogram* queries = nullptr);

// The Argon2id cost named by [auth] password_cost.
PasswordCost password_cost(const std::string& name);

// The URL without its password, for the log.
std::string redacted_url(std::string url);

}  // namespace webgames
