#pragma once
// The keys that tokens of one kind (access tokens, join tokens) are signed
// with, by key id ("kid" in the token's header): one signs, the others are
// still accepted. It lets an installation replace a signing key without
// refusing the tokens already issued, replica by replica
// (docs/auth.md#rotating-a-signing-key).
//
// On disk, in the keys folder (auth.keys_dir), for a kind K ("token", "join"):
//   K-signing.pem          signs, and is accepted; created by the first start
//   K-next.pem             accepted; signs once `webgames keys rotate` promotes it
//   K-retired-<kid>.pem    accepted; signed until a promotion replaced it
// Every file is an Ed25519 private key in PKCS#8 PEM (Ed25519Key).

#include "auth/ed25519.h"
#include "core/error.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace webgames {

class KeyRing {
 public:
  // A ring of `signing` and the keys accepted besides it (duplicates of a
  // key id are kept once).
  explicit KeyRing(Ed25519Key signing, std::vector<Ed25519Key> accepted = {});

  // Reads the kind's keys from `dir`, creating K-signing.pem when there is
  // none yet. internal (naming the file) when a file is not a key.
  static Result<KeyRing> load(const std::filesystem::path& dir, std::string_view kind);

  const Ed25519Key& signing() const { return keys_.front(); }
  // The key with this id, signing or accepted; null when none has it.
  const Ed25519Key* find(std::string_view key_id) const;
  // The signing key's id first, then the others'.
  std::vector<std::string> key_ids() const;

 private:
  std::vector<Ed25519Key> keys_;  // the signing key first
};

// One step of a rotation, in `dir`, for `kind`. With no K-next.pem: makes
// one (step 1: every replica must reload before step 2, so that each accepts
// the tokens the first to sign with it will issue). With one: promotes it
// (step 2): K-signing.pem becomes K-retired-<kid>.pem and K-next.pem
// becomes K-signing.pem, each by an atomic rename, so a replica reloading
// meanwhile reads one complete ring or the other.
struct KeyRotation {
  enum class Step { next_made, promoted };
  Step step;
  std::string key_id;      // the new key's
  std::string retired_id;  // promoted: the key that no longer signs
};
Result<KeyRotation> rotate_keys(const std::filesystem::path& dir, std::string_view kind);

}  // namespace webgames
