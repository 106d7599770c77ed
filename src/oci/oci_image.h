#pragma once
// OCI images as the OCI runtime reads them: an image layout directory per
// image (the OCI Image Layout specification: oci-layout, index.json,
// blobs/sha256/…), at <images dir>/<image name>, such as
// build/images/oci/webgames/shifumi for "webgames/shifumi". images/build
// writes the demo images' layouts without any engine; `skopeo copy
// docker://… oci:<dir>:<tag>` or `docker save` and a conversion give others.
//
// Pure reading and checking: no process is run, nothing is unpacked here.

#include "core/error.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace webgames::oci {

// What the image's configuration says of its process.
struct ImageConfig {
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::vector<std::string> env;  // NAME=value
  std::string user;              // "uid" or "uid:gid"; empty: root
  std::string working_dir;       // empty: "/"
};

struct Layer {
  std::filesystem::path blob;
  std::string digest;  // "sha256:<hex>"
  bool gzip = false;   // application/vnd.oci.image.layer.v1.tar+gzip
};

struct OciImage {
  std::string digest;  // the manifest's, "sha256:<hex>": one unpacked root file system per digest
  ImageConfig config;
  std::vector<Layer> layers;  // bottom first
};

// `image` is "name" or "name:tag" (default tag "latest"): the layout at
// <images_dir>/<name>, its manifest whose org.opencontainers.image.ref.name
// is the tag (or its only manifest). invalid_field (field server.image) for
// a name that is not a path of [a-z0-9._-] segments, no layout, a manifest
// or blob missing or malformed, a manifest or config that does not match its
// digest, or a layer type other than tar or tar+gzip. Layers are only
// found: whoever unpacks them checks their digest first (once per image).
Result<OciImage> read_oci_image(const std::filesystem::path& images_dir, std::string_view image);

}  // namespace webgames::oci
