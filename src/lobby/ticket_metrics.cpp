#include "lobby/ticket_metrics.h"

namespace webgames {

void TicketMetrics::queue_seen(std::string_view game, std::string_view queue) {
  for (auto* family : {&created_, &matched_, &cancelled_, &expired_, &matches_}) family->at({game, queue});
}

std::string TicketMetrics::render() const {
  std::string out;
  metrics::render(out, "webgames_tickets_created_total", "Tickets created (a party's request to be matched).",
                  created_);
  metrics::render(out, "webgames_tickets_matched_total",
                  "Tickets placed in a match or a backfill (a requeued ticket counts again).", matched_);
  metrics::render(out, "webgames_tickets_cancelled_total",
                  "Tickets cancelled: by their players, or by webgames (game deleted, rules changed, servers failed).",
                  cancelled_);
  metrics::render(out, "webgames_tickets_expired_total", "Tickets that waited longer than hosting.ticket_ttl_s.",
                  expired_);
  metrics::render(out, "webgames_matches_formed_total", "Matches formed by the queue's matchmaker (not backfills).",
                  matches_);
  return out;
}

}  // namespace webgames
