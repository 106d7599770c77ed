#pragma once
// Cross-origin requests from browsers (CORS). A page served from another
// origin may call the API only when that origin is allowed
// (`http.cors_origins`); nothing is allowed by default, and pages of the
// server's own origin need nothing. Allowed origins get their preflight
// (OPTIONS with Access-Control-Request-Method) answered 204 and, on every
// answer, the headers that let the page read it; a preflight from another
// origin is refused (403, JSON). Credentials are bearer tokens, never
// cookies, so Access-Control-Allow-Credentials is never sent.

#include "core/error.h"
#include "http/message.h"

#include <optional>
#include <string>
#include <vector>

namespace webgames::http {

class CorsPolicy {
 public:
  // Exact origins ("https://play.example.com", "http://localhost:5173"), or
  // "*" for any. Checked by parse_cors_origins.
  explicit CorsPolicy(std::vector<std::string> origins = {});

  bool enabled() const { return !origins_.empty(); }
  // The answer to a preflight, or nullopt when `request` is not one.
  std::optional<Response> preflight(const Request& request) const;
  // Adds Access-Control-Allow-Origin (and what goes with it) to the answer
  // of an allowed origin's request.
  void decorate(const Request& request, Response& response) const;

 private:
  bool allows(std::string_view origin) const;
  std::vector<std::string> origins_;
};

// "https://a.example, http://localhost:5173" or "*": the origins, each a
// scheme (http or https), a host and an optional port, with no path.
// invalid_field (field `http.cors_origins`) naming the first bad one.
Result<std::vector<std::string>> parse_cors_origins(std::string_view text);

}  // namespace webgames::http
