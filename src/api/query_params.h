#pragma once
// Reading query-string parameters of list routes, with the error the API
// gives for a bad one.

#include "core/error.h"
#include "http/message.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace webgames::api {

// A route that takes query parameters refuses any other, and any given
// twice (invalid_field, naming it): a misspelt or repeated one would
// otherwise be ignored, or read as the first of two.
inline Result<void> check_query(std::string_view target, std::initializer_list<std::string_view> known) {
  std::vector<std::string_view> seen;
  for (const auto& [name, value] : http::query_pairs(target)) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string shown(name.substr(0, 32)), takes;
      for (auto k : known) takes += (takes.empty() ? "" : ", ") + std::string(k);
      return make_error(Errc::invalid_field, "unknown parameter \"" + shown + "\"; this route takes " + takes, shown);
    }
    if (std::find(seen.begin(), seen.end(), name) != seen.end())
      return make_error(Errc::invalid_field, std::string(name) + " is given twice", std::string(name));
    seen.push_back(name);
  }
  return {};
}

// `?limit=N`: `fallback` when absent; invalid_field (field "limit") unless 1 ≤ N ≤ max.
inline Result<std::size_t> limit_param(const http::Request& request, std::size_t fallback, std::size_t max) {
  auto text = http::query_param(request.target(), "limit");
  if (!text) return fallback;
  std::size_t limit = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), limit);
  if (ec != std::errc() || ptr != text->data() + text->size() || limit < 1 || limit > max)
    return make_error(Errc::invalid_field, "limit must be a number from 1 to " + std::to_string(max), "limit");
  return limit;
}

// `?wait=30s` (or `30`, or `500ms`): how long a long poll may wait; `fallback`
// when absent; invalid_field (field "wait") unless at most `max`.
inline Result<std::chrono::milliseconds> wait_param(const http::Request& request, std::chrono::milliseconds fallback,
                                                    std::chrono::milliseconds max) {
  auto text = http::query_param(request.target(), "wait");
  if (!text) return fallback;
  std::string_view t = *text;
  std::int64_t scale = 1000;
  if (t.ends_with("ms")) {
    t.remove_suffix(2);
    scale = 1;
  } else if (t.ends_with("s")) {
    t.remove_suffix(1);
  }
  std::int64_t n = -1;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
  auto bad = [&] {
    return make_error(Errc::invalid_field,
                      "wait must be a duration such as 30s or 500ms, at most " + std::to_string(max.count()) + " ms",
                      "wait");
  };
  if (t.empty() || ec != std::errc() || ptr != t.data() + t.size() || n < 0 || n > max.count()) return bad();
  auto wait = std::chrono::milliseconds(n * scale);
  if (wait > max) return bad();
  return wait;
}

}  // namespace webgames::api
