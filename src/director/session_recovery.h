#pragma once
// After a restart: what becomes of each session an earlier run left
// unfinished. Its server is adopted when the runtime still has it: by the id
// recorded with the session, or, when webgames was killed while starting it
// (the record, written first, names no server yet), by the marker the
// runtime gave the server before it started. Otherwise the session fails
// with why, and whatever its server left is cleaned up. Then the runtime
// removes whatever else of this installation runs (servers of sessions that
// ended or failed while their stop was under way), and the work directories
// of sessions not adopted are removed.
//
// Threading: on the director's strand (the Runtime's rule), once, before
// the director starts any server.

#include "core/clock.h"
#include "director/runtime.h"
#include "domain/session.h"

#include <filesystem>
#include <vector>

namespace webgames {

struct Recovery {
  std::vector<Session> adopted;  // state as recorded; runtime_id and host filled in
  std::vector<Session> lost;     // now Failed, with the reason and ended_at
};

Recovery recover_sessions(Runtime& runtime, const std::filesystem::path& sessions_dir, std::vector<Session> unfinished,
                          TimePoint now);

}  // namespace webgames
