#pragma once
// What Redis answers, as a plain value (hiredis's redisReply, copied out),
// and the Error an error reply stands for.

#include "core/error.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct redisReply;

namespace webgames::redis {

struct Reply {
  enum class Type { nil, string, status, integer, array, error };
  Type type = Type::nil;
  std::string str;              // string, status and error replies
  long long integer = 0;        // integer replies
  std::vector<Reply> elements;  // array replies

  bool is_nil() const { return type == Type::nil; }
  bool is_error() const { return type == Type::error; }
  // The text of a string or status reply; nullopt for any other.
  std::optional<std::string_view> text() const;

  static Reply from(const redisReply& r);
};

// The Error for an error reply, by its first word:
//   unavailable    LOADING, BUSY, MASTERDOWN, READONLY, TRYAGAIN, CLUSTERDOWN,
//                  NOREPLICAS, OOM (Redis cannot serve it now; retrying may help)
//   not_found      NOSCRIPT, and NOTFOUND raised by our scripts
//   conflict       CONFLICT and FENCED raised by our scripts
//   invalid_field  INVALID raised by our scripts
//   internal       anything else (ERR, WRONGTYPE, …: a command of ours Redis refused)
// The message is Redis's text.
Error error_of(const Reply& error_reply);

}  // namespace webgames::redis
