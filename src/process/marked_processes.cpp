#include "process/marked_processes.h"

#include <fmt/format.h>

#include <unistd.h>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

namespace webgames {

ProcessStat process_stat(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string text;
  if (!std::getline(in, text)) return {};
  auto close_paren = text.rfind(')');  // the command name may hold spaces and parentheses
  if (close_paren == std::string::npos || close_paren + 2 >= text.size()) return {};
  std::istringstream fields(text.substr(close_paren + 2));
  ProcessStat stat;
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i) {
    if (i == 3) stat.state = field.empty() ? '?' : field[0];
    if (i == 5) stat.pgid = static_cast<pid_t>(std::atoi(field.c_str()));
    if (i == 22) stat.start_time = field;
  }
  return stat;
}

std::vector<MarkedProcess> marked_processes(std::string_view installation) {
  const std::string marker = fmt::format("{}={}", kInstallationVariable, installation);
  constexpr std::string_view kSession = "WEBGAMES_SESSION_ID=";
  std::vector<MarkedProcess> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const auto name = entry.path().filename().string();
    pid_t pid = 0;
    auto [end, err] = std::from_chars(name.data(), name.data() + name.size(), pid);
    if (err != std::errc() || end != name.data() + name.size() || pid == ::getpid()) continue;
    std::ifstream in(entry.path() / "environ", std::ios::binary);
    if (!in) continue;
    std::string environ((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    bool marked = false;
    MarkedProcess p{pid, 0, ""};
    for (std::size_t at = 0; at < environ.size();) {
      auto next = environ.find('\0', at);
      if (next == std::string::npos) next = environ.size();
      std::string_view var(environ.data() + at, next - at);
      if (var == marker) marked = true;
      if (var.substr(0, kSession.size()) == kSession) p.session_id = std::string(var.substr(kSession.size()));
      at = next + 1;
    }
    if (!marked) continue;
    auto stat = process_stat(pid);
    if (stat.state == 0 || stat.state == 'Z') continue;
    p.pgid = stat.pgid;
    found.push_back(std::move(p));
  }
  return found;
}

}  // namespace webgames
