#pragma once
// A lease in Redis: at most one holder at a time, for a bounded time it
// renews. Each grant gets a fencing token (a counter that only grows), and
// the lease's value, "<token> <holder> <address>", is what a guarded write
// compares with the stored one in the same script (fenced()): a holder whose
// lease has passed, or was taken by another, has its writes refused even if
// it has not noticed yet.
//
// Storage: <prefix>:{<name>}:lease (the value, expiring after the TTL unless
// renewed) and <prefix>:{<name>}:fence (the counter). The braces keep both in
// one hash slot, with whatever a guarded write changes under the same tag.
//
// Thread safety: calls may run from any executor (see redis/client.h).

#include "core/error.h"
#include "redis/client.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace webgames::redis {

struct LeaseGrant {
  std::int64_t token = 0;
  std::string holder;   // who holds it: unique per process run
  std::string address;  // where the holder serves ("host:port"), for forwarding
  std::string value;    // "<token> <holder> <address>", as stored

  static std::optional<LeaseGrant> parse(std::string value);
};

class Lease {
 public:
  Lease(std::shared_ptr<Client> client, std::string name, std::string prefix = "webgames");

  // The lease for `holder` when nobody holds it, else the current holder's
  // grant (compare .holder). unavailable when Redis does not answer.
  Task<LeaseGrant> acquire(const std::string& holder, const std::string& address, std::chrono::milliseconds ttl) const;
  // Extends a lease still held as `grant`; conflict when it has passed or
  // another holds it (the holder must stop acting at once).
  Task<void> renew(const LeaseGrant& grant, std::chrono::milliseconds ttl) const;
  // Gives it up when still held as `grant` (a clean shutdown: the next
  // holder need not wait for the TTL).
  Task<void> release(const LeaseGrant& grant) const;

  // The key a guarded write compares with the grant's value.
  const std::string& key() const { return key_; }
  // The hash tag every key a guarded write touches must carry: "{<name>}".
  std::string tag() const { return "{" + name_ + "}"; }

 private:
  std::shared_ptr<Client> client_;
  std::string name_;
  std::string key_;
  std::string fence_key_;
};

}  // namespace webgames::redis
