#pragma once
// The PoolSizerStore of the scaled mode: one Redis hash
// (<prefix>:{lobby}:pool_sizers, record by game id) beside the lobby's
// records, so that the replica taking the lobby over (and with it the
// director and its pools) finds what the last owner's sizers learned. Every
// save is one Lua script that first checks the lobby's lease still holds
// the owner's grant (redis/redis_lease.h): a replica whose lease has passed
// gets conflict and writes nothing.
//
// Blocking, like every PoolSizerStore: it waits for Redis on the calling
// thread, which must not be a thread running the client's executor.

#include "pools/pool_sizer_store.h"
#include "redis/client.h"
#include "redis/redis_lease.h"

#include <boost/asio/any_io_executor.hpp>

#include <memory>
#include <mutex>
#include <string>

namespace webgames::redis {

class RedisPoolSizerStore final : public PoolSizerStore {
 public:
  // `executor` runs the calls (a loop the client may use); `lease` is the
  // lobby's, whose grant set_grant() gives.
  RedisPoolSizerStore(boost::asio::any_io_executor executor, std::shared_ptr<Client> client, const Lease& lease,
                      std::string prefix = "webgames");

  // The grant the saves are fenced with; until set, save refuses (conflict).
  void set_grant(const LeaseGrant& grant);

  Result<PoolSizerRecords> load() override;
  // conflict when the lease no longer holds the grant; unavailable when
  // Redis does not answer.
  Result<void> save(const PoolSizerRecords& records) override;

 private:
  boost::asio::any_io_executor executor_;
  std::shared_ptr<Client> client_;
  std::string lease_key_;
  std::string key_;
  std::mutex mutex_;
  std::string grant_;  // the lease value saves are fenced with
};

}  // namespace webgames::redis
