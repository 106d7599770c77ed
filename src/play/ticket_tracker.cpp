#include "play/ticket_tracker.h"

#include <fmt/format.h>

namespace webgames::play {

TicketTracker::Update TicketTracker::on_event(const Event& event) {
  return std::visit([this](const auto& data) { return on(data); }, event.data);
}

TicketTracker::Update TicketTracker::on(const TicketQueued& e) {
  if (e.ticket_id == ticket_id_) requeued_ = false;  // back in the queue as itself (the usual requeue)
  if (e.ticket_id == ticket_id_ || !requeued_) return {};
  // The server re-queued the player with a new ticket.
  ticket_id_ = e.ticket_id;
  requeued_ = false;
  return {Step::waiting, fmt::format("queued again in {}/{} (ticket {})", e.game, e.queue, e.ticket_id)};
}

TicketTracker::Update TicketTracker::on(const TicketMatched& e) {
  if (e.ticket_id != ticket_id_) return {};
  matched_ = true;
  requeued_ = false;
  return {Step::waiting, fmt::format("matched (match {}), starting a game server", e.match_id)};
}

TicketTracker::Update TicketTracker::on(const TicketClosed& e) {
  if (e.ticket_id != ticket_id_) return {};
  auto message = e.expired ? fmt::format("ticket {} expired before a match was found", e.ticket_id)
                           : fmt::format("ticket {} was cancelled", e.ticket_id);
  if (!e.reason.empty()) message += fmt::format(": {}", e.reason);
  return {Step::failed, message};
}

TicketTracker::Update TicketTracker::on(const SessionReady& e) {
  if (!e.ticket_id.empty() && e.ticket_id != ticket_id_) return {};
  if (e.ticket_id.empty() && !matched_) return {};
  session_ = e;
  if (e.host.empty() || e.host == "0.0.0.0" || e.host == "::") session_->host = api_host_;
  return {Step::ready, fmt::format("server ready at {}:{}", session_->host, e.port)};
}

TicketTracker::Update TicketTracker::on(const SessionEnded& e) {
  if (!session_ || e.session_id != session_->session_id) return {};
  return {Step::ended, fmt::format("session {} ended", e.session_id)};
}

TicketTracker::Update TicketTracker::on(const SessionFailed& e) {
  bool ours = session_ ? e.session_id == session_->session_id : matched_;
  if (!ours) return {};
  auto reason = e.reason.empty() ? std::string("no reason given") : e.reason;
  if (!e.requeued) return {Step::failed, fmt::format("session {} failed: {}", e.session_id, reason)};
  matched_ = false;
  requeued_ = true;
  session_.reset();
  return {Step::requeued, fmt::format("session {} failed ({}); back in the queue", e.session_id, reason)};
}

}  // namespace webgames::play
