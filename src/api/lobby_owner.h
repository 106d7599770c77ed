#pragma once
// Where the lobby and the director run. In the embedded default, here. In
// the scaled mode, on the one replica that holds the lobby's lease (see
// app/lobby_ownership.h): the routes that need them are registered through
// owner_only(), and on every other replica the request goes to the owner as
// it came (http/upstream.h) and its answer comes back as it was.

#include "http/router.h"

#include <chrono>
#include <functional>
#include <string>

namespace webgames::api {

struct LobbyPlace {
  enum class Kind {
    here,     // this process runs the lobby
    there,    // the replica at `address` does
    nowhere,  // none yet (the lease is free or being taken over): 503, retry
  };
  Kind kind = Kind::here;
  std::string address;  // host:port, for there
  std::string reason;   // for nowhere: why, for the 503's message
};

// Answers where the lobby runs now. Any thread; cheap.
using LobbyLocator = std::function<LobbyPlace()>;

// `handler` where the lobby runs; elsewhere the request is forwarded there.
// Answers unavailable with Retry-After (nothing was done: retry) when there
// is no owner yet, when the request was already forwarded once, when the
// owner cannot be reached, or when it received a GET and did not answer;
// outcome_unknown (502) when it received a change and did not answer.
// An empty `locate` means here. `locate` is read at each request: set it
// before serving; it must outlive the router.
http::Handler owner_only(const LobbyLocator& locate, http::Handler handler,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace webgames::api
