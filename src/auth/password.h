#pragma once
// Password hashing with Argon2id (libsodium's crypto_pwhash_str).
// Hashing is slow on purpose (tens of milliseconds, 64 MiB by default):
// call it from the blocking pool, never on the event loop. Thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

namespace webgames {

struct PasswordCost {
  unsigned long long ops = 2;            // Default: libsodium's OPSLIMIT_INTERACTIVE
  std::size_t memory_bytes = 64u << 20;  // Default: libsodium's MEMLIMIT_INTERACTIVE (64 MiB)
  // The cheapest cost libsodium accepts; for tests only.
  static PasswordCost minimum();
};

class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordCost cost = {});
  // An encoded "$argon2id$…" string holding salt and parameters.
  std::string hash(std::string_view password) const;
  // Constant-time with respect to the password.
  bool verify(std::string_view encoded_hash, std::string_view password) const;

 private:
  PasswordCost cost_;
};

}  // namespace webgames
