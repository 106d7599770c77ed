#include "app/lobby_ownership.h"

#include "core/encoding.h"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <mutex>
#include <optional>

namespace webgames {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

class LobbyOwnership::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::any_io_executor executor, std::shared_ptr<redis::Client> client, std::string prefix,
       BlockingPool& blocking, LobbyOwnershipOptions options, TakeOver take_over, Lost lost)
      : strand_(asio::make_strand(std::move(executor))),
        lease_(std::move(client), "lobby", std::move(prefix)),
        blocking_(blocking),
        options_(std::move(options)),
        holder_(new_id("rep_")),
        take_over_(std::move(take_over)),
        lost_(std::move(lost)),
        timer_(strand_) {
    place_.kind = api::LobbyPlace::Kind::nowhere;
    place_.reason = "looking for the lobby's owner";
  }

  void start(std::string address) {
    address_ = std::move(address);
    asio::co_spawn(
        strand_, [self = shared_from_this()] { return self->run(); }, asio::detached);
  }

  void stop_and_release() {
    auto done = asio::co_spawn(
        strand_,
        [self = shared_from_this()]() -> asio::awaitable<void> {
          self->stopped_ = true;
          self->timer_.cancel();
          if (!self->grant_) co_return;
          auto grant = *self->grant_;
          self->grant_.reset();
          if (auto r = co_await self->lease_.release(grant); !r)
            spdlog::warn("lobby: lease not given up (the next owner waits for it to pass): {}", r.error().message);
          else
            spdlog::info("lobby: lease given up");
        },
        asio::use_future);
    done.get();
  }

  // Here only while the lease is surely held: a replica woken from a pause
  // longer than the TTL (SIGSTOP, a stalled VM) must not answer for a lobby
  // another replica may own by now (it would say 404 of that one's tickets
  // and sessions) before its renewal finds the lease lost.
  api::LobbyPlace where() const {
    std::lock_guard lock(mutex_);
    if (place_.kind == api::LobbyPlace::Kind::here && Clock::now() >= held_until_)
      return {api::LobbyPlace::Kind::nowhere, {}, "the lobby's lease is not renewed yet"};
    return place_;
  }

  const redis::Lease& lease() const { return lease_; }

 private:
  void set_place(api::LobbyPlace::Kind kind, std::string address, std::string reason) {
    std::lock_guard lock(mutex_);
    place_ = {kind, std::move(address), std::move(reason)};
  }
  // `asked`: when the grant or renewal that answered was sent. Redis's
  // expiry started later, so the lease is held at least until asked + TTL.
  void held_since(Clock::time_point asked) {
    std::lock_guard lock(mutex_);
    held_until_ = asked + options_.ttl;
  }
  bool held_now() const {
    std::lock_guard lock(mutex_);
    return Clock::now() < held_until_;
  }

  asio::awaitable<void> pause(milliseconds d) {
    timer_.expires_after(d);
    co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  }

  asio::awaitable<void> run() {
    const auto ttl = options_.ttl;
    std::string last_error;
    while (!stopped_) {
      if (!grant_) {
        auto asked = Clock::now();
        auto grant = co_await lease_.acquire(holder_, address_, ttl);
        if (stopped_) break;
        if (!grant) {
          if (grant.error().message != last_error)
            spdlog::warn("lobby: cannot reach the lease: {}", grant.error().message);
          last_error = grant.error().message;
          if (where().kind == api::LobbyPlace::Kind::nowhere) set_place(api::LobbyPlace::Kind::nowhere, {}, last_error);
        } else if (grant->holder == holder_) {
          held_since(asked);
          grant_ = *grant;
          spdlog::info("lobby: this replica owns the lobby now (fencing token {}); taking over", grant->token);
          set_place(api::LobbyPlace::Kind::nowhere, {}, "a replica is taking the lobby over");
          blocking_.post([self = shared_from_this(), g = *grant] {
            try {
              self->take_over_(g);
            } catch (const std::exception& e) {
              self->lost_(make_error(Errc::unavailable, std::string("taking the lobby over failed: ") + e.what()));
              return;
            }
            self->set_place(api::LobbyPlace::Kind::here, {}, {});
            spdlog::info("lobby: taken over");
          });
          continue;
        } else {
          last_error.clear();
          if (where().address != grant->address) spdlog::info("lobby: owned by the replica at {}", grant->address);
          set_place(api::LobbyPlace::Kind::there, grant->address, {});
        }
        co_await pause(ttl / 6);
        continue;
      }
      auto attempt = Clock::now();
      auto r = co_await lease_.renew(*grant_, ttl);
      if (stopped_) break;
      if (r) {
        held_since(attempt);
      } else if (r.error().code == Errc::conflict || !held_now()) {
        auto why =
            r.error().code == Errc::conflict
                ? r.error()
                : make_error(Errc::unavailable, "the lobby's lease was not renewed in time: " + r.error().message);
        set_place(api::LobbyPlace::Kind::nowhere, {}, "the lobby's lease was lost");
        lost_(why);
        co_return;
      } else {
        spdlog::warn("lobby: lease not renewed yet: {}", r.error().message);
        co_await pause(ttl / 10);
        continue;
      }
      co_await pause(ttl / 3);
    }
  }

  asio::strand<asio::any_io_executor> strand_;
  redis::Lease lease_;
  BlockingPool& blocking_;
  LobbyOwnershipOptions options_;
  std::string address_;  // where this replica serves
  std::string holder_;   // this process run
  TakeOver take_over_;
  Lost lost_;
  asio::steady_timer timer_;
  bool stopped_ = false;
  std::optional<redis::LeaseGrant> grant_;
  mutable std::mutex mutex_;
  api::LobbyPlace place_;
  Clock::time_point held_until_{};
};

LobbyOwnership::LobbyOwnership(asio::any_io_executor executor, std::shared_ptr<redis::Client> client,
                               std::string prefix, BlockingPool& blocking, LobbyOwnershipOptions options,
                               TakeOver take_over, Lost lost)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(client), std::move(prefix), blocking,
                                   std::move(options), std::move(take_over), std::move(lost))) {}

LobbyOwnership::~LobbyOwnership() = default;

const redis::Lease& LobbyOwnership::lease() const { return impl_->lease(); }
void LobbyOwnership::start(std::string address) { impl_->start(std::move(address)); }
void LobbyOwnership::stop_and_release() { impl_->stop_and_release(); }
api::LobbyPlace LobbyOwnership::where() const { return impl_->where(); }

}  // namespace webgames
