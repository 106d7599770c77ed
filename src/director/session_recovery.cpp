#include "director/session_recovery.h"

#include <spdlog/spdlog.h>

#include <set>

namespace webgames {

namespace fs = std::filesystem;

Recovery recover_sessions(Runtime& runtime, const fs::path& sessions_dir, std::vector<Session> unfinished,
                          TimePoint now) {
  Recovery out;
  std::set<std::string> kept;
  for (auto& s : unfinished) {
    auto work_dir = sessions_dir / s.id / "work";
    bool ours = s.runtime == runtime.name();
    if (ours && s.runtime_id.empty() && s.state != SessionState::allocating) {
      if (auto found = runtime.find(s.id)) {
        spdlog::info("director: session {} was starting; found its server {}", s.id, found->runtime_id);
        s.runtime_id = found->runtime_id;
        s.host = found->host;
      }
    }
    if (ours && !s.runtime_id.empty() && runtime.adopt(s.runtime_id, work_dir)) {
      spdlog::info("director: adopted session {} ({}, {})", s.id, to_string(s.state), s.runtime_id);
      s.last_heartbeat = now;  // a fresh chance to prove it is alive
      kept.insert(s.id);
      out.adopted.push_back(std::move(s));
      continue;
    }
    spdlog::warn("director: session {} lost its server while webgames was down", s.id);
    s.reason = s.runtime_id.empty() ? "webgames restarted before the server started"
                                    : "the server was gone when webgames restarted";
    s.state = SessionState::failed;
    s.ended_at = now;
    if (ours && !s.runtime_id.empty()) runtime.clean_up_lost(s.runtime_id, work_dir);
    out.lost.push_back(std::move(s));
  }
  runtime.adoption_done();
  // Work directories of every session not adopted: those just failed, and
  // those whose server was being stopped when webgames was killed.
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(sessions_dir, ec)) {
    if (kept.contains(entry.path().filename().string())) continue;
    std::error_code ignored;
    fs::remove_all(entry.path() / "work", ignored);
  }
  return out;
}

}  // namespace webgames
