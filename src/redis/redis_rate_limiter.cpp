#include "redis/redis_rate_limiter.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>

namespace webgames::redis {
namespace {

// KEYS: the counters; ARGV: for each, its max then its window in ms.
// Answers {index (1-based) of the first counter over its max, or 0; its ms
// left}; the counters after that one are not touched.
const char* const kHitScript = R"lua(
for i, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    ttl = tonumber(ARGV[2 * i])
    redis.call('PEXPIRE', key, ttl)
  end
  if n > tonumber(ARGV[2 * i - 1]) then
    return {i, ttl}
  end
end
return {0, 0}
)lua";

}  // namespace

RedisRateLimiter::RedisRateLimiter(std::shared_ptr<Client> client, std::string prefix)
    : client_(std::move(client)), prefix_(std::move(prefix)), script_(std::make_shared<Script>(kHitScript)) {}

boost::asio::awaitable<Result<RateVerdict>> RedisRateLimiter::hit(std::vector<RateLimit> limits) {
  assert(!limits.empty());
  std::vector<std::string> keys, args;
  keys.reserve(limits.size());
  args.reserve(2 * limits.size());
  for (const auto& limit : limits) {
    assert(limit.max >= 1 && limit.window.count() >= 1);
    keys.push_back(fmt::format("{}:rate:{}", prefix_, limit.key));
    args.push_back(std::to_string(limit.max));
    args.push_back(std::to_string(limit.window.count()));
  }
  auto reply = co_await client_->eval(script_, keys, args);
  if (!reply) co_return reply.error();
  if (reply->type != Reply::Type::array || reply->elements.size() != 2 ||
      reply->elements[0].type != Reply::Type::integer || reply->elements[1].type != Reply::Type::integer)
    co_return make_error(Errc::internal, "unexpected reply of the rate limit script");
  RateVerdict verdict;
  auto over = reply->elements[0].integer;
  if (over < 0 || static_cast<std::size_t>(over) > limits.size())
    co_return make_error(Errc::internal, "unexpected reply of the rate limit script");
  if (over > 0) {
    verdict.allowed = false;
    verdict.over = static_cast<std::size_t>(over - 1);
    verdict.retry_after = std::chrono::milliseconds(std::max<long long>(0, reply->elements[1].integer));
  }
  co_return verdict;
}

}  // namespace webgames::redis
