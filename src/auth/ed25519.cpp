#include "auth/ed25519.h"

#include "core/encoding.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace webgames {
namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

}  // namespace

Ed25519Key::Ed25519Key(EVP_PKEY* key) : key_(key, EVP_PKEY_free) {}

Ed25519Key Ed25519Key::generate() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (key == nullptr) throw std::runtime_error("ed25519 key generation failed");
  return Ed25519Key(key);
}

Result<Ed25519Key> Ed25519Key::load(const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr && errno == ENOENT) return make_error(Errc::not_found, fmt::format("no key at {}", path.string()));
  if (f == nullptr)
    return make_error(Errc::internal, fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
  EVP_PKEY* key = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(key);
    return make_error(Errc::internal, fmt::format("{} is not an Ed25519 private key", path.string()));
  }
  return Ed25519Key(key);
}

Result<Ed25519Key> Ed25519Key::load_or_create(const std::filesystem::path& path) {
  if (auto loaded = load(path); loaded || loaded.error().code != Errc::not_found) return loaded;
  auto key = generate();
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  // Written whole under a name of our own, then linked into place: replicas
  // starting together on one shared directory never read half a key, and
  // the one that loses the race loads the winner's.
  auto staged = path;
  staged += "." + hex_encode(random_bytes(8)) + ".new";
  int fd = ::open(staged.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return make_error(Errc::internal, fmt::format("cannot create {}", staged.string()));
  std::FILE* f = ::fdopen(fd, "w");
  bool ok = PEM_write_PrivateKey(f, key.key_.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
  ok = std::fflush(f) == 0 && ::fsync(fd) == 0 && ok;
  ok = std::fclose(f) == 0 && ok;
  if (!ok) {
    ::unlink(staged.c_str());
    return make_error(Errc::internal, fmt::format("cannot write {}", path.string()));
  }
  int linked = ::link(staged.c_str(), path.c_str());
  int link_error = errno;
  ::unlink(staged.c_str());
  if (linked != 0 && link_error == EEXIST) return load_or_create(path);
  if (linked != 0) return make_error(Errc::internal, fmt::format("cannot create {}", path.string()));
  return key;
}

Result<Ed25519Key> Ed25519Key::from_public(std::string_view raw) {
  EVP_PKEY* key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                              reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  if (key == nullptr) return make_error(Errc::invalid_field, "not an Ed25519 public key");
  return Ed25519Key(key);
}

std::string Ed25519Key::sign(std::string_view message) const {
  MdCtx ctx(EVP_MD_CTX_new());
  std::string sig(64, '\0');
  std::size_t len = sig.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1)
    throw std::runtime_error("ed25519 signing failed");
  sig.resize(len);
  return sig;
}

bool Ed25519Key::verify(std::string_view message, std::string_view signature) const {
  MdCtx ctx(EVP_MD_CTX_new());
  return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
}

std::string Ed25519Key::public_raw() const {
  std::string out(32, '\0');
  std::size_t len = out.size();
  if (EVP_PKEY_get_raw_public_key(key_.get(), reinterpret_cast<unsigned char*>(out.data()), &len) != 1)
    throw std::runtime_error("ed25519: cannot read public key");
  out.resize(len);
  return out;
}

std::string Ed25519Key::key_id() const { return hex_encode(sha256(public_raw()).substr(0, 8)); }

}  // namespace webgames
