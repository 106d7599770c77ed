#include "redis/redis_pool_sizer_store.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

namespace webgames::redis {
namespace {

// KEYS[1] the lobby's lease, KEYS[2] the records. ARGV[1] the owner's grant,
// then (game id, record) per game.
const auto save_script = std::make_shared<const Script>(R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('FENCED the lobby lease has passed or another replica holds it')
end
redis.call('DEL', KEYS[2])
if #ARGV > 1 then redis.call('HSET', KEYS[2], unpack(ARGV, 2)) end
return 1
)lua");

}  // namespace

RedisPoolSizerStore::RedisPoolSizerStore(boost::asio::any_io_executor executor, std::shared_ptr<Client> client,
                                         const Lease& lease, std::string prefix)
    : executor_(std::move(executor)),
      client_(std::move(client)),
      lease_key_(lease.key()),
      key_(prefix + ":" + lease.tag() + ":pool_sizers") {}

void RedisPoolSizerStore::set_grant(const LeaseGrant& grant) {
  std::lock_guard lock(mutex_);
  grant_ = grant.value;
}

Result<PoolSizerRecords> RedisPoolSizerStore::load() {
  auto reply = boost::asio::co_spawn(executor_, client_->call(cmd({"HGETALL", key_})), boost::asio::use_future).get();
  if (!reply) return reply.error();
  PoolSizerRecords out;
  for (std::size_t i = 0; i + 1 < reply->elements.size(); i += 2)
    out.emplace(std::move(reply->elements[i].str), std::move(reply->elements[i + 1].str));
  return out;
}

Result<void> RedisPoolSizerStore::save(const PoolSizerRecords& records) {
  std::vector<std::string> args;
  {
    std::lock_guard lock(mutex_);
    if (grant_.empty()) return make_error(Errc::conflict, "the lobby's lease is not held by this replica");
    args.push_back(grant_);
  }
  for (const auto& [game_id, learned] : records) {
    args.push_back(game_id);
    args.push_back(learned);
  }
  auto reply =
      boost::asio::co_spawn(executor_, client_->eval(save_script, {lease_key_, key_}, args), boost::asio::use_future)
          .get();
  if (!reply) return reply.error();
  return {};
}

}  // namespace webgames::redis
