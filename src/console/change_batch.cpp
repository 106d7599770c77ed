#include "console/change_batch.h"

#include "console/console_sample.h"

namespace webgames::console {

ChangeBatch::ChangeBatch(boost::asio::any_io_executor executor, EventBus& events, std::chrono::milliseconds gather)
    : state_(std::make_shared<State>(events)), timer_(std::move(executor)), gather_(gather) {}

ChangeBatch::~ChangeBatch() {
  {
    std::lock_guard lock(state_->mutex);
    timer_.cancel();
  }
  state_->flush();
}

void ChangeBatch::add(boost::json::object change) {
  std::lock_guard lock(state_->mutex);
  state_->changes.push_back(std::move(change));
  if (state_->changes.size() > 1) return;  // the first of the batch has set the timer
  // The timer is only touched here, under the mutex, and by its handler.
  timer_.expires_after(gather_);
  timer_.async_wait([weak = std::weak_ptr<State>(state_)](boost::system::error_code) {
    if (auto state = weak.lock()) state->flush();
  });
}

void ChangeBatch::State::flush() {
  boost::json::array batch;
  {
    std::lock_guard lock(mutex);
    batch.swap(changes);
  }
  if (!batch.empty())
    events.publish(std::string(kConsoleStream), kChangesEvent, boost::json::object{{"changes", std::move(batch)}});
}

}  // namespace webgames::console
