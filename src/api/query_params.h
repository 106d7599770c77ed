#pragma once
// Reading query-string parameters of list routes, with the error the API
// gives for a bad one.

#include "core/error.h"
#include "http/message.h"

#include <charconv>
#include <cstddef>

namespace webgames::api {

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

}  // namespace webgames::api
