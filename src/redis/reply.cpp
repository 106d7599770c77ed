#include "redis/reply.h"

#include <hiredis/hiredis.h>

#include <array>
#include <utility>

namespace webgames::redis {

std::optional<std::string_view> Reply::text() const {
  if (type == Type::string || type == Type::status) return std::string_view(str);
  return std::nullopt;
}

Reply Reply::from(const redisReply& r) {
  Reply out;
  switch (r.type) {
    case REDIS_REPLY_STRING:
      out.type = Type::string;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = Type::status;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = Type::error;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = Type::integer;
      out.integer = r.integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Type::array;
      out.elements.reserve(r.elements);
      for (std::size_t i = 0; i < r.elements; ++i) out.elements.push_back(from(*r.element[i]));
      break;
    default:
      out.type = Type::nil;
  }
  return out;
}

Error error_of(const Reply& reply) {
  std::string_view text = reply.str;
  auto word = text.substr(0, text.find(' '));
  static constexpr std::array<std::pair<std::string_view, Errc>, 14> codes{{
      {"LOADING", Errc::unavailable},
      {"BUSY", Errc::unavailable},
      {"MASTERDOWN", Errc::unavailable},
      {"READONLY", Errc::unavailable},
      {"TRYAGAIN", Errc::unavailable},
      {"CLUSTERDOWN", Errc::unavailable},
      {"NOREPLICAS", Errc::unavailable},
      {"OOM", Errc::unavailable},
      {"NOSCRIPT", Errc::not_found},
      {"NOTFOUND", Errc::not_found},
      {"CONFLICT", Errc::conflict},
      {"FENCED", Errc::conflict},
      {"INVALID", Errc::invalid_field},
      {"ERR", Errc::internal},
  }};
  for (const auto& [prefix, code] : codes)
    if (word == prefix) return make_error(code, "redis: " + std::string(text));
  return make_error(Errc::internal, "redis: " + std::string(text));
}

}  // namespace webgames::redis
