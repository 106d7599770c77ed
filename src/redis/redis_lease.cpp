#include "redis/redis_lease.h"

#include <charconv>

namespace webgames::redis {
namespace {

// KEYS[1] the lease, KEYS[2] the fence counter. ARGV[1] holder, ARGV[2]
// address, ARGV[3] TTL in ms. Returns the value now stored: the new grant,
// or the current holder's.
const char* const kAcquireScript = R"lua(
local current = redis.call('GET', KEYS[1])
if current then return current end
local token = redis.call('INCR', KEYS[2])
local value = string.format('%d', token) .. ' ' .. ARGV[1] .. ' ' .. ARGV[2]
redis.call('SET', KEYS[1], value, 'PX', ARGV[3])
return value
)lua";

// KEYS[1] the lease. ARGV[1] the grant's value, ARGV[2] TTL in ms.
const char* const kRenewScript = R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('FENCED the lease has passed or another holds it')
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
)lua";

// KEYS[1] the lease. ARGV[1] the grant's value.
const char* const kReleaseScript = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
)lua";

const auto acquire_script = std::make_shared<const Script>(kAcquireScript);
const auto renew_script = std::make_shared<const Script>(kRenewScript);
const auto release_script = std::make_shared<const Script>(kReleaseScript);

// Commands built outside the coroutines: GCC 12 miscompiles initializer
// lists in a coroutine's frame.
Command acquire_command(const std::string& key, const std::string& fence, const std::string& holder,
                        const std::string& address, std::chrono::milliseconds ttl) {
  return eval(acquire_script, {key, fence}, {holder, address, std::to_string(ttl.count())});
}
std::vector<std::string> one(std::string a) { return {std::move(a)}; }
std::vector<std::string> two(std::string a, std::string b) { return {std::move(a), std::move(b)}; }

}  // namespace

std::optional<LeaseGrant> LeaseGrant::parse(std::string value) {
  auto first = value.find(' ');
  if (first == std::string::npos) return std::nullopt;
  auto second = value.find(' ', first + 1);
  if (second == std::string::npos) return std::nullopt;
  LeaseGrant g;
  auto [end, ec] = std::from_chars(value.data(), value.data() + first, g.token);
  if (ec != std::errc() || end != value.data() + first || g.token <= 0) return std::nullopt;
  g.holder = value.substr(first + 1, second - first - 1);
  g.address = value.substr(second + 1);
  g.value = std::move(value);
  return g;
}

Lease::Lease(std::shared_ptr<Client> client, std::string name, std::string prefix)
    : client_(std::move(client)),
      name_(std::move(name)),
      key_(prefix + ":" + tag() + ":lease"),
      fence_key_(prefix + ":" + tag() + ":fence") {}

Task<LeaseGrant> Lease::acquire(const std::string& holder, const std::string& address,
                                std::chrono::milliseconds ttl) const {
  auto reply = co_await client_->call(acquire_command(key_, fence_key_, holder, address, ttl));
  if (!reply) co_return reply.error();
  auto text = reply->text();
  auto grant = text ? LeaseGrant::parse(std::string(*text)) : std::nullopt;
  if (!grant) co_return make_error(Errc::internal, "the lease " + key_ + " holds something else than a grant");
  co_return std::move(*grant);
}

Task<void> Lease::renew(const LeaseGrant& grant, std::chrono::milliseconds ttl) const {
  auto reply = co_await client_->call(eval(renew_script, one(key_), two(grant.value, std::to_string(ttl.count()))));
  if (!reply) co_return reply.error();
  co_return Result<void>{};
}

Task<void> Lease::release(const LeaseGrant& grant) const {
  auto reply = co_await client_->call(eval(release_script, one(key_), one(grant.value)));
  if (!reply) co_return reply.error();
  co_return Result<void>{};
}

}  // namespace webgames::redis
