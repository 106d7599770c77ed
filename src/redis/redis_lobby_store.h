#pragma once
// The LobbyStore of the scaled mode: parties and tickets in two Redis hashes
// (<prefix>:{lobby}:parties and <prefix>:{lobby}:tickets, record by id), so
// that the replica taking the lobby over finds them as its last owner left
// them. Every apply is one Lua script that first checks the lobby's lease
// (redis/redis_lease.h) still holds the owner's grant: a replica whose lease
// has passed gets conflict and writes nothing (fencing). The same script
// appends the write's events to their players' streams (as RedisEventBus
// lays them out, redis/event_streams.h): one round trip for a change and
// what it tells, and no event of a change that did not land.
//
// Blocking, like every LobbyStore: it waits for Redis on the calling thread,
// which must not be a thread running the client's executor.

#include "lobby/lobby_store.h"
#include "redis/client.h"
#include "redis/redis_event_bus.h"
#include "redis/redis_lease.h"

#include <boost/asio/any_io_executor.hpp>

#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace webgames::redis {

class RedisLobbyStore : public LobbyStore {
 public:
  // `executor` runs the calls (a loop the client may use); `lease` is the
  // lobby's, whose grant set_grant() gives; `events` the RedisEventBus's
  // options (its prefix, history and retention).
  RedisLobbyStore(boost::asio::any_io_executor executor, std::shared_ptr<Client> client, const Lease& lease,
                  std::string prefix = "webgames", EventBusOptions events = {});

  // The grant the writes are fenced with; until set, apply refuses (conflict).
  void set_grant(const LeaseGrant& grant);

  Result<LobbyRecords> load() override;
  // conflict when the lease no longer holds the grant; unavailable when
  // Redis does not answer (nothing or everything was applied: the script is
  // atomic; a write retried after it did land is not applied twice).
  Result<void> apply(const LobbyWrite& write) override;
  bool writes_events() const override { return true; }

 private:
  boost::asio::any_io_executor executor_;
  std::shared_ptr<Client> client_;
  std::string lease_key_;
  std::string parties_key_;
  std::string tickets_key_;
  std::string last_write_key_;  // the grant and seq of the last write applied
  EventBusOptions events_;
  std::mutex mutex_;
  std::string grant_;  // the lease value writes are fenced with
};

}  // namespace webgames::redis
