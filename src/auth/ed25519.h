#pragma once
// An Ed25519 key pair (OpenSSL 3) for signing tokens. Thread-safe after construction.

#include "core/error.h"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

typedef struct evp_pkey_st EVP_PKEY;

namespace webgames {

class Ed25519Key {
 public:
  static Ed25519Key generate();
  // Loads a PKCS#8 PEM private key from `path`, creating it (mode 0600) if
  // the file does not exist, so that every restart keeps issued tokens valid.
  static Result<Ed25519Key> load_or_create(const std::filesystem::path& path);
  // Loads the PKCS#8 PEM private key at `path`: not_found when there is no
  // such file, internal when it is not an Ed25519 key.
  static Result<Ed25519Key> load(const std::filesystem::path& path);
  // A verify-only key from 32 raw public-key bytes.
  static Result<Ed25519Key> from_public(std::string_view raw_public_key);

  // REQUIRES: this key has a private part.
  std::string sign(std::string_view message) const;
  bool verify(std::string_view message, std::string_view signature) const;

  std::string public_raw() const;  // 32 bytes
  std::string key_id() const;      // 16 hex characters of SHA-256(public key)

 private:
  explicit Ed25519Key(EVP_PKEY* key);
  std::shared_ptr<EVP_PKEY> key_;
};

}  // namespace webgames
