#include "play/guest_identity.h"

#include "core/encoding.h"
#include "domain/account.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

namespace webgames::play {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxProfile = 32;

Error io_error(std::string_view what, const fs::path& path, int err) {
  return make_error(Errc::unavailable,
                    fmt::format("cannot {} {}: {}", what, path.string(), std::generic_category().message(err)));
}

Result<std::string> read_device_id(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return io_error("read", file, errno);
  std::string id;
  std::getline(in, id, '\n');
  while (!id.empty() && (id.back() == '\r' || id.back() == ' ')) id.pop_back();
  if (auto valid = validate_device_id(id); !valid)
    return make_error(Errc::invalid_field,
                      fmt::format("{} holds no valid device id ({}); remove it to play as a new guest", file.string(),
                                  valid.error().message),
                      "device_id");
  return id;
}

// Writes `text` to a new file `path` (mode 0600); fails if it exists.
Result<void> write_private_file(const fs::path& path, std::string_view text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("create", path, errno);
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  int err = errno;
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    ::unlink(path.c_str());
    return io_error("write", path, err);
  }
  return {};
}

}  // namespace

fs::path default_config_dir() {
  const char* home = std::getenv("HOME");
  return fs::path(home && *home ? home : ".") / ".config" / "webgames";
}

Result<fs::path> device_id_file(const fs::path& dir, std::string_view profile) {
  if (profile.empty()) return dir / "device-id";
  bool valid =
      profile.size() <= kMaxProfile && std::all_of(profile.begin(), profile.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      });
  if (!valid) return make_error(Errc::invalid_field, "--as must be 1 to 32 of A-Z, a-z, 0-9, '_' and '-'", "as");
  return dir / fmt::format("device-id-{}", profile);
}

Result<std::string> load_or_create_device_id(const fs::path& file) {
  std::error_code ec;
  if (fs::exists(file, ec)) return read_device_id(file);

  fs::create_directories(file.parent_path(), ec);
  if (ec) return io_error("create", file.parent_path(), ec.value());
  auto id = new_id("dev_");
  auto temp = file;
  temp += fmt::format(".{}.tmp", ::getpid());
  if (auto written = write_private_file(temp, id + "\n"); !written) return written.error();
  // link() fails rather than replace: whoever links first wins, the other reads the winner's id.
  int linked = ::link(temp.c_str(), file.c_str());
  int err = errno;
  ::unlink(temp.c_str());
  if (linked == 0) return id;
  if (err == EEXIST) return read_device_id(file);
  return io_error("create", file, err);
}

}  // namespace webgames::play
