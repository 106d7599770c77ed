#include "app/stores.h"

#include "postgres/postgres_catalog.h"
#include "sqlite/sqlite_catalog.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

namespace webgames {

std::unique_ptr<Catalog> make_catalog(const Config& c, const std::filesystem::path& dir, metrics::Histogram* queries) {
  if (c.catalog_url.empty()) return std::make_unique<SqliteCatalog>(dir / "webgames.db");
  spdlog::info("catalog: PostgreSQL at {}", redacted_url(c.catalog_url));
  // One connection per blocking thread, and one for the director's journal.
  return std::make_unique<PostgresCatalog>(c.catalog_url, c.blocking_threads + 1, queries);
}

PasswordCost password_cost(const std::string& name) {
  if (name == "minimum") return PasswordCost::minimum();
  if (name == "moderate") return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
  return {};
}

std::string redacted_url(std::string url) {
  auto scheme = url.find("://");
  auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon != std::string::npos && colon < at) url.replace(colon + 1, at - colon - 1, "***");
  return url;
}

}  // namespace webgames
