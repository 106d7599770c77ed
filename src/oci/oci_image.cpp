#include "oci/oci_image.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <fstream>
#include <sstream>

namespace webgames::oci {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr std::size_t kMaxJsonBytes = 4 << 20;  // index, manifest or config

Error bad_image(std::string_view image, std::string_view why) {
  return make_error(Errc::invalid_field, fmt::format("server.image {}: {}", image, why), "server.image");
}

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 255 || name.front() == '/' || name.back() == '/') return false;
  std::size_t segment = 0;
  for (std::size_t i = 0; i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '/') {
      auto part = name.substr(segment, i - segment);
      if (part.empty() || part == "." || part == ".." || part.front() == '.') return false;
      segment = i + 1;
      continue;
    }
    char c = name[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) return false;
  }
  return true;
}

Result<std::string> read_small(const fs::path& path, std::string_view image) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return bad_image(image, fmt::format("{} is missing", path.string()));
  std::string text(kMaxJsonBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxJsonBytes) return bad_image(image, fmt::format("{} is too large", path.string()));
  return text;
}

Result<json::object> read_json(const fs::path& path, std::string_view image) {
  auto text = read_small(path, image);
  if (!text) return text.error();
  boost::system::error_code ec;
  auto v = json::parse(*text, ec);
  if (ec || !v.is_object()) return bad_image(image, fmt::format("{} is not a JSON object", path.string()));
  return v.as_object();
}

// The SHA-256 of a file, in hex.
std::string sha256_of(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) EVP_DigestUpdate(ctx, buf, static_cast<std::size_t>(in.gcount()));
  unsigned char md[32];
  unsigned len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  std::string hex;
  for (unsigned i = 0; i < len; ++i) hex += fmt::format("{:02x}", md[i]);
  return hex;
}

// blobs/sha256/<hex> of a descriptor, checked against its digest when `verify`.
Result<fs::path> blob_of(const fs::path& layout, const json::object& descriptor, std::string_view image,
                         bool verify = true) {
  auto* digest = descriptor.if_contains("digest");
  if (!digest || !digest->is_string()) return bad_image(image, "a descriptor has no digest");
  std::string_view d = digest->get_string();
  if (!d.starts_with("sha256:") || d.size() != 71 ||
      d.substr(7).find_first_not_of("0123456789abcdef") != std::string_view::npos)
    return bad_image(image, fmt::format("unsupported digest {}", d));
  auto path = layout / "blobs" / "sha256" / std::string(d.substr(7));
  if (!fs::is_regular_file(path)) return bad_image(image, fmt::format("blob {} is missing", d));
  if (verify && sha256_of(path) != d.substr(7))
    return bad_image(image, fmt::format("blob {} does not match its digest", d));
  return path;
}

std::vector<std::string> strings(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (auto* v = o.if_contains(key); v && v->is_array())
    for (const auto& s : v->get_array())
      if (s.is_string()) out.emplace_back(s.get_string());
  return out;
}

}  // namespace

Result<OciImage> read_oci_image(const fs::path& images_dir, std::string_view image) {
  auto colon = image.rfind(':');
  auto name = colon == std::string_view::npos ? image : image.substr(0, colon);
  auto tag = colon == std::string_view::npos ? std::string_view("latest") : image.substr(colon + 1);
  if (!valid_name(name) || tag.empty()) return bad_image(image, "not an image name (name or name:tag)");
  const auto layout = images_dir / std::string(name);
  if (!fs::is_regular_file(layout / "index.json"))
    return bad_image(image, fmt::format("no OCI image layout at {}", layout.string()));

  auto index = read_json(layout / "index.json", image);
  if (!index) return index.error();
  const json::object* chosen = nullptr;
  const json::array* manifests = nullptr;
  if (auto* m = index->if_contains("manifests"); m && m->is_array()) manifests = &m->get_array();
  if (!manifests || manifests->empty()) return bad_image(image, "its index lists no manifest");
  for (const auto& m : *manifests) {
    if (!m.is_object()) continue;
    auto* annotations = m.as_object().if_contains("annotations");
    auto* ref = annotations && annotations->is_object()
                    ? annotations->as_object().if_contains("org.opencontainers.image.ref.name")
                    : nullptr;
    if (ref && ref->is_string() && ref->get_string() == tag) chosen = &m.as_object();
  }
  if (!chosen && manifests->size() == 1 && manifests->front().is_object()) chosen = &manifests->front().as_object();
  if (!chosen) return bad_image(image, fmt::format("no manifest tagged {}", tag));

  auto manifest_path = blob_of(layout, *chosen, image);
  if (!manifest_path) return manifest_path.error();
  auto manifest = read_json(*manifest_path, image);
  if (!manifest) return manifest.error();
  OciImage out;
  out.digest = std::string(chosen->at("digest").get_string());

  auto* config_descriptor = manifest->if_contains("config");
  if (!config_descriptor || !config_descriptor->is_object()) return bad_image(image, "its manifest has no config");
  auto config_path = blob_of(layout, config_descriptor->as_object(), image);
  if (!config_path) return config_path.error();
  auto config = read_json(*config_path, image);
  if (!config) return config.error();
  if (auto* c = config->if_contains("config"); c && c->is_object()) {
    const auto& process = c->as_object();
    out.config.entrypoint = strings(process, "Entrypoint");
    out.config.cmd = strings(process, "Cmd");
    out.config.env = strings(process, "Env");
    if (auto* u = process.if_contains("User"); u && u->is_string()) out.config.user = u->get_string();
    if (auto* w = process.if_contains("WorkingDir"); w && w->is_string()) out.config.working_dir = w->get_string();
  }

  auto* layers = manifest->if_contains("layers");
  if (!layers || !layers->is_array()) return bad_image(image, "its manifest has no layers");
  for (const auto& l : layers->get_array()) {
    if (!l.is_object()) return bad_image(image, "a layer is not an object");
    auto* type = l.as_object().if_contains("mediaType");
    std::string_view media = type && type->is_string() ? std::string_view(type->get_string()) : "";
    Layer layer;
    if (media == "application/vnd.oci.image.layer.v1.tar+gzip" ||
        media == "application/vnd.docker.image.rootfs.diff.tar.gzip")
      layer.gzip = true;
    else if (media != "application/vnd.oci.image.layer.v1.tar")
      return bad_image(image, fmt::format("layer type {} is not supported (tar or tar+gzip)", media));
    auto blob = blob_of(layout, l.as_object(), image, false);  // hashed by whoever unpacks it
    if (!blob) return blob.error();
    layer.blob = *blob;
    layer.digest = std::string(l.as_object().at("digest").get_string());
    out.layers.push_back(std::move(layer));
  }
  if (out.config.entrypoint.empty() && out.config.cmd.empty())
    return bad_image(image, "its config names no Entrypoint or Cmd");
  return out;
}

}  // namespace webgames::oci
