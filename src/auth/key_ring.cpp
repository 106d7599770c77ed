#include "auth/key_ring.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <unistd.h>

namespace webgames {
namespace {

namespace fs = std::filesystem;

fs::path signing_path(const fs::path& dir, std::string_view kind) { return dir / fmt::format("{}-signing.pem", kind); }
fs::path next_path(const fs::path& dir, std::string_view kind) { return dir / fmt::format("{}-next.pem", kind); }

// K-next.pem and every K-retired-<kid>.pem.
std::vector<fs::path> accepted_paths(const fs::path& dir, std::string_view kind) {
  std::vector<fs::path> paths;
  auto retired = fmt::format("{}-retired-", kind);
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    auto name = entry.path().filename().string();
    if (name == next_path(dir, kind).filename() || (name.starts_with(retired) && name.ends_with(".pem")))
      paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

Error file_error(std::string_view what, const fs::path& path) {
  return make_error(Errc::internal, fmt::format("cannot {} {}: {}", what, path.string(), std::strerror(errno)));
}

}  // namespace

KeyRing::KeyRing(Ed25519Key signing, std::vector<Ed25519Key> accepted) {
  keys_.push_back(std::move(signing));
  for (auto& key : accepted)
    if (!find(key.key_id())) keys_.push_back(std::move(key));
}

Result<KeyRing> KeyRing::load(const fs::path& dir, std::string_view kind) {
  auto signing = Ed25519Key::load_or_create(signing_path(dir, kind));
  if (!signing) return signing.error();
  std::vector<Ed25519Key> accepted;
  for (const auto& path : accepted_paths(dir, kind)) {
    auto key = Ed25519Key::load(path);
    if (!key && key.error().code == Errc::not_found) continue;  // promoted or removed since the listing
    if (!key) return key.error();
    accepted.push_back(std::move(*key));
  }
  return KeyRing(std::move(*signing), std::move(accepted));
}

const Ed25519Key* KeyRing::find(std::string_view key_id) const {
  for (const auto& key : keys_)
    if (key.key_id() == key_id) return &key;
  return nullptr;
}

std::vector<std::string> KeyRing::key_ids() const {
  std::vector<std::string> ids;
  for (const auto& key : keys_) ids.push_back(key.key_id());
  return ids;
}

Result<KeyRotation> rotate_keys(const fs::path& dir, std::string_view kind) {
  auto next = next_path(dir, kind);
  auto existing = Ed25519Key::load(next);
  if (!existing && existing.error().code != Errc::not_found) return existing.error();
  if (!existing) {
    // Step 1. The current key is made first when there is none yet, so that
    // the new one is not taken for the first signing key.
    if (auto current = Ed25519Key::load_or_create(signing_path(dir, kind)); !current) return current.error();
    auto made = Ed25519Key::load_or_create(next);
    if (!made) return made.error();
    return KeyRotation{KeyRotation::Step::next_made, made->key_id(), {}};
  }
  // Step 2. The retiring key stays accepted under its new name before the
  // next one takes its place: no moment without both.
  auto signing = signing_path(dir, kind);
  auto current = Ed25519Key::load(signing);
  if (!current) return current.error();
  auto retired = dir / fmt::format("{}-retired-{}.pem", kind, current->key_id());
  if (::link(signing.c_str(), retired.c_str()) != 0 && errno != EEXIST) return file_error("create", retired);
  if (std::rename(next.c_str(), signing.c_str()) != 0) return file_error("rename", next);
  return KeyRotation{KeyRotation::Step::promoted, existing->key_id(), current->key_id()};
}

}  // namespace webgames
