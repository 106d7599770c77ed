#include "oci/bundle_config.h"

#include <fmt/format.h>
#include <boost/json/array.hpp>

#include <charconv>
#include <cmath>
#include <map>

namespace webgames::oci {
namespace {

namespace json = boost::json;

constexpr std::int64_t kCpuPeriodUs = 100'000;
constexpr int kTmpMiB = 64;

bool parse_id(std::string_view text, std::int64_t& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size() && out >= 0 && out < (1LL << 32);
}

json::array strings(const std::vector<std::string>& v) {
  json::array out;
  for (const auto& s : v) out.emplace_back(s);
  return out;
}

json::object mount(std::string_view destination, std::string_view type, std::string_view source,
                   std::vector<std::string> options) {
  return json::object{{"destination", destination}, {"type", type}, {"source", source}, {"options", strings(options)}};
}

// The image's environment, then the spec's, then webgames' (a later name wins).
json::array environment(const LaunchRequest& request, const ImageConfig& image) {
  std::map<std::string, std::string> env{{"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}};
  for (const auto& entry : image.env) {
    auto eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& [k, v] : request.spec.env) env[k] = v;
  for (const auto& [k, v] : request.env) env[k] = v;
  json::array out;
  for (const auto& [k, v] : env) out.emplace_back(k + "=" + v);
  return out;
}

}  // namespace

Result<json::object> bundle_config(const LaunchRequest& request, const ImageConfig& image, const BundleParts& parts) {
  std::int64_t uid = 0, gid = 0;
  if (!image.user.empty()) {
    auto colon = image.user.find(':');
    bool ok = parse_id(std::string_view(image.user).substr(0, colon), uid) &&
              (colon == std::string::npos || parse_id(std::string_view(image.user).substr(colon + 1), gid));
    if (!ok)
      return make_error(Errc::invalid_field,
                        fmt::format("server.image {}: the image's user {} is not numeric (uid or uid:gid)",
                                    request.spec.image, image.user),
                        "server.image");
  }
  std::vector<std::string> args = image.entrypoint;
  const auto& tail = request.spec.args.empty() ? image.cmd : request.spec.args;
  args.insert(args.end(), tail.begin(), tail.end());

  json::array caps;
  for (const auto& c : request.spec.capabilities) caps.emplace_back("CAP_" + c);
  json::object process{
      {"terminal", false},
      {"user", json::object{{"uid", uid}, {"gid", gid}}},
      {"args", strings(args)},
      {"env", environment(request, image)},
      {"cwd", image.working_dir.empty() ? std::string("/") : image.working_dir},
      {"capabilities",
       json::object{{"bounding", caps}, {"effective", caps}, {"permitted", caps}, {"inheritable", json::array{}}}},
      {"noNewPrivileges", true}};
  if (parts.file_limit != 0)
    process["rlimits"] =
        json::array{json::object{{"type", "RLIMIT_FSIZE"}, {"hard", parts.file_limit}, {"soft", parts.file_limit}}};

  const std::int64_t memory = static_cast<std::int64_t>(request.spec.memory_mb) << 20;
  json::object resources{
      {"devices", json::array{json::object{{"allow", false}, {"access", "rwm"}}}},
      {"memory", json::object{{"limit", memory}, {"swap", memory}}},
      {"cpu", json::object{{"quota", std::llround(request.spec.cpu * kCpuPeriodUs)}, {"period", kCpuPeriodUs}}},
      {"pids", json::object{{"limit", request.spec.pids_limit}}}};

  json::array namespaces;
  for (auto type : {"pid", "ipc", "uts", "mount"}) namespaces.push_back(json::object{{"type", type}});

  json::array mounts{
      mount("/proc", "proc", "proc", {}),
      mount("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}),
      mount("/dev/pts", "devpts", "devpts", {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"}),
      mount("/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}),
      mount("/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}),
      mount("/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}),
      mount("/tmp", "tmpfs", "tmpfs", {"nosuid", "nodev", "mode=1777", fmt::format("size={}m", kTmpMiB)})};

  return json::object{
      {"ociVersion", "1.0.2"},
      {"process", std::move(process)},
      {"root", json::object{{"path", parts.rootfs.string()}, {"readonly", true}}},
      {"hostname", "webgames"},
      {"mounts", std::move(mounts)},
      {"linux", json::object{{"cgroupsPath", parts.cgroups_path},
                             {"resources", std::move(resources)},
                             {"namespaces", std::move(namespaces)},
                             {"maskedPaths", strings({"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
                                                      "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
                                                      "/proc/sched_debug", "/sys/firmware", "/proc/scsi"})},
                             {"readonlyPaths",
                              strings({"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"})}}}};
}

}  // namespace webgames::oci
