#include "redis/redis_lobby_store.h"

#include "redis/event_streams.h"

#include <fmt/format.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

namespace webgames::redis {
namespace {

// KEYS[1] the lobby's lease, KEYS[2] parties, KEYS[3] tickets, KEYS[4] the
// last write's mark, then one stream per event. ARGV[1] the owner's grant,
// ARGV[2] this write's mark, ARGV[3] '1' when retried, ARGV[4] the streams'
// MAXLEN ~, ARGV[5] their expiry in ms, ARGV[6] the number of changes, then
// (kind, id, record) per change, then (body, token) per event, in order.
const char* const kApplyLua = R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('FENCED the lobby lease has passed or another replica holds it')
end
if ARGV[3] == '1' and redis.call('GET', KEYS[4]) == ARGV[2] then return 1 end
local events = 7 + 3 * tonumber(ARGV[6])
for i = 7, events - 1, 3 do
  local kind, id = ARGV[i], ARGV[i + 1]
  if kind == 'put_party' then redis.call('HSET', KEYS[2], id, ARGV[i + 2])
  elseif kind == 'remove_party' then redis.call('HDEL', KEYS[2], id)
  elseif kind == 'put_ticket' then redis.call('HSET', KEYS[3], id, ARGV[i + 2])
  elseif kind == 'remove_ticket' then redis.call('HDEL', KEYS[3], id)
  end
end
for k = 5, #KEYS do
  local i = events + 2 * (k - 5)
  append_event(KEYS[k], ARGV[i], ARGV[i + 1], ARGV[4], ARGV[5])
end
redis.call('SET', KEYS[4], ARGV[2])
return 1
)lua";

const auto apply_script = std::make_shared<const Script>(std::string(kAppendEventLua) + kApplyLua);

std::string_view kind_name(LobbyChange::Kind k) {
  switch (k) {
    case LobbyChange::Kind::put_party:
      return "put_party";
    case LobbyChange::Kind::remove_party:
      return "remove_party";
    case LobbyChange::Kind::put_ticket:
      return "put_ticket";
    case LobbyChange::Kind::remove_ticket:
      return "remove_ticket";
  }
  return "";
}

// The values of an HGETALL reply (field, value, field, value, …).
std::vector<std::string> values(Reply& reply) {
  std::vector<std::string> out;
  for (std::size_t i = 1; i < reply.elements.size(); i += 2) out.push_back(std::move(reply.elements[i].str));
  return out;
}

}  // namespace

RedisLobbyStore::RedisLobbyStore(boost::asio::any_io_executor executor, std::shared_ptr<Client> client,
                                 const Lease& lease, std::string prefix, EventBusOptions events)
    : executor_(std::move(executor)),
      client_(std::move(client)),
      lease_key_(lease.key()),
      parties_key_(prefix + ":" + lease.tag() + ":parties"),
      tickets_key_(prefix + ":" + lease.tag() + ":tickets"),
      last_write_key_(prefix + ":" + lease.tag() + ":last_write"),
      events_(std::move(events)) {}

void RedisLobbyStore::set_grant(const LeaseGrant& grant) {
  std::lock_guard lock(mutex_);
  grant_ = grant.value;
}

Result<LobbyRecords> RedisLobbyStore::load() {
  auto replies = boost::asio::co_spawn(
                     executor_, client_->pipeline({cmd({"HGETALL", parties_key_}), cmd({"HGETALL", tickets_key_})}),
                     boost::asio::use_future)
                     .get();
  if (!replies) return replies.error();
  for (auto& r : *replies)
    if (!r) return r.error();
  return LobbyRecords{values(*(*replies)[0]), values(*(*replies)[1])};
}

Result<void> RedisLobbyStore::apply(const LobbyWrite& write) {
  std::vector<std::string> keys{lease_key_, parties_key_, tickets_key_, last_write_key_};
  std::vector<std::string> args;
  args.reserve(6 + 3 * write.changes.size() + 2 * write.events.size());
  {
    std::lock_guard lock(mutex_);
    if (grant_.empty()) return make_error(Errc::conflict, "the lobby's lease is not held by this replica");
    args.push_back(grant_);
    args.push_back(fmt::format("{}/{}", grant_, write.seq));
  }
  args.emplace_back(write.retried ? "1" : "0");
  args.push_back(std::to_string(events_.history));
  args.push_back(std::to_string(events_.retention.count()));
  args.push_back(std::to_string(write.changes.size()));
  for (const auto& c : write.changes) {
    args.emplace_back(kind_name(c.kind));
    args.push_back(c.id);
    args.push_back(c.record);
  }
  for (std::size_t i = 0; i < write.events.size(); ++i) {
    const auto& e = write.events[i];
    keys.push_back(event_stream_key(events_.prefix, e.player));
    args.push_back(event_body(e.type, e.data));
    args.push_back(fmt::format("{}.{}", args[1], i));
  }
  auto reply = boost::asio::co_spawn(executor_, client_->eval(apply_script, keys, args), boost::asio::use_future).get();
  if (!reply) return reply.error();
  return {};
}

}  // namespace webgames::redis
