#pragma once
// The lobby's counters for /metrics, by game (its name) and queue: tickets
// created, matched, cancelled and expired, and matches formed.
//
// Thread safety: recording from the hosting strand, render() from any
// thread; no lock (metrics/family.h).

#include "metrics/family.h"

#include <string>
#include <string_view>

namespace webgames {

class TicketMetrics {
 public:
  // The queue exists: its series start at zero.
  void queue_seen(std::string_view game, std::string_view queue);
  void created(std::string_view game, std::string_view queue) { created_.at({game, queue}).inc(); }
  // `tickets` of one match (or backfill) formed.
  void matched(std::string_view game, std::string_view queue, std::size_t tickets) {
    matched_.at({game, queue}).inc(tickets);
  }
  void match_formed(std::string_view game, std::string_view queue) { matches_.at({game, queue}).inc(); }
  void cancelled(std::string_view game, std::string_view queue) { cancelled_.at({game, queue}).inc(); }
  void expired(std::string_view game, std::string_view queue) { expired_.at({game, queue}).inc(); }

  std::string render() const;

 private:
  metrics::Family<metrics::Counter> created_{{"game", "queue"}};
  metrics::Family<metrics::Counter> matched_{{"game", "queue"}};
  metrics::Family<metrics::Counter> cancelled_{{"game", "queue"}};
  metrics::Family<metrics::Counter> expired_{{"game", "queue"}};
  metrics::Family<metrics::Counter> matches_{{"game", "queue"}};
};

}  // namespace webgames
