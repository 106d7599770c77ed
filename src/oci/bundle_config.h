#pragma once
// The OCI runtime configuration (config.json of a bundle, the OCI Runtime
// Specification 1.0) of one game server: the image's process with the
// spec's arguments and environment and webgames' WEBGAMES_*, as the image's
// user; its own pid, mount, ipc and uts namespaces on the host's network
// (the allocated ports are the host's); the same limits and security as the
// Docker runtime (docs/docker.md): memory without swap, CPU quota, pids,
// no new privileges, every capability dropped but the spec's, no device,
// a read-only root (the unpacked image, shared by every server of it) with
// a small /tmp.
//
// Pure: builds JSON, touches nothing.

#include "core/error.h"
#include "director/runtime.h"
#include "oci/oci_image.h"

#include <boost/json/object.hpp>

#include <filesystem>
#include <string>

namespace webgames::oci {

struct BundleParts {
  std::filesystem::path rootfs;  // absolute
  std::string cgroups_path;      // "/webgames/<installation>-<container id>"
  std::uint64_t file_limit = 0;  // bytes of any file the server writes, its log included (RLIMIT_FSIZE); 0: none
};

// invalid_field (field server.image) when the image's user is not numeric
// ("uid" or "uid:gid"; a FROM scratch image has no /etc/passwd to look names up in).
Result<boost::json::object> bundle_config(const LaunchRequest& request, const ImageConfig& image,
                                          const BundleParts& parts);

}  // namespace webgames::oci
