#pragma once
// The SDK's HTTP client: one blocking POST of a JSON body (or a GET) per connection,
// bounded in time, cancellable from another thread. Plain HTTP only: Webgames
// gives game servers an address on its own network.

#include <chrono>
#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

namespace webgames::sdk::detail {

struct HttpUrl {
  std::string host;
  std::string port;       // "80" unless the URL says otherwise
  std::string base_path;  // "" or "/prefix", no trailing slash
};

// "http://host[:port][/prefix][/]"; empty for anything else (https included).
std::optional<HttpUrl> parse_http_url(std::string_view url);

struct HttpReply {
  int status = 0;    // 0: no answer; `body` then says why
  std::string body;  // the answer's body (at most 64 KiB are read)
};

// POSTs `body` (JSON) to `url` + `path` with `Authorization: Bearer <bearer>`.
// Never throws for network failures: they come back as status 0. Gives up
// after `timeout` in total, or as soon as `stop` is requested.
HttpReply post_json(const HttpUrl& url, std::string_view path, std::string_view bearer, std::string body,
                    std::chrono::milliseconds timeout, std::stop_token stop = {});
// The same for a GET (no body).
HttpReply get(const HttpUrl& url, std::string_view path, std::string_view bearer, std::chrono::milliseconds timeout,
              std::stop_token stop = {});

}  // namespace webgames::sdk::detail
