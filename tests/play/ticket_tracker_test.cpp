#include "play/ticket_tracker.h"

#include <gtest/gtest.h>

namespace webgames::play {
namespace {

using Step = TicketTracker::Step;

Event event(EventData data) { return Event{1, "", std::move(data)}; }

SessionReady ready(std::string session, std::string ticket, std::string host = "10.0.0.5") {
  return SessionReady{std::move(session), std::move(ticket), std::move(host), 40001, "jt", {}};
}

TEST(TicketTracker, FollowsATicketToItsServer) {
  TicketTracker t("tkt_1", "api.example");
  EXPECT_EQ(t.on_event(event(TicketQueued{"tkt_1", "shifumi", "duel"})).step, Step::waiting);
  auto matched = t.on_event(event(TicketMatched{"tkt_1", "mch_1"}));
  EXPECT_EQ(matched.step, Step::waiting);
  EXPECT_NE(matched.message.find("matched"), std::string::npos);
  auto up = t.on_event(event(ready("ses_1", "tkt_1")));
  EXPECT_EQ(up.step, Step::ready);
  EXPECT_EQ(up.message, "server ready at 10.0.0.5:40001");
  ASSERT_TRUE(t.session());
  EXPECT_EQ(t.session()->join_token, "jt");
  EXPECT_EQ(t.on_event(event(SessionEnded{"ses_1", {}})).step, Step::ended);
}

TEST(TicketTracker, IgnoresOtherTicketsAndSessions) {
  TicketTracker t("tkt_1", "api");
  EXPECT_TRUE(t.on_event(event(TicketMatched{"tkt_0", "mch_0"})).message.empty());
  EXPECT_EQ(t.on_event(event(ready("ses_0", "tkt_0"))).step, Step::waiting);
  EXPECT_EQ(t.on_event(event(TicketClosed{"tkt_0", true})).step, Step::waiting);
  // Before a match, a session failure cannot be ours.
  EXPECT_EQ(t.on_event(event(SessionFailed{"ses_0", "crash", false})).step, Step::waiting);
  // A ready without a ticket id counts only once matched.
  EXPECT_EQ(t.on_event(event(ready("ses_0", ""))).step, Step::waiting);
  t.on_event(event(TicketMatched{"tkt_1", "mch_1"}));
  EXPECT_EQ(t.on_event(event(ready("ses_1", ""))).step, Step::ready);
  EXPECT_EQ(t.on_event(event(SessionEnded{"ses_0", {}})).step, Step::waiting);
  EXPECT_EQ(t.on_event(event(OtherEvent{})).step, Step::waiting);
}

TEST(TicketTracker, ClosedTicketsEndTheWait) {
  TicketTracker t("tkt_1", "api");
  auto expired = t.on_event(event(TicketClosed{"tkt_1", true}));
  EXPECT_EQ(expired.step, Step::failed);
  EXPECT_NE(expired.message.find("expired"), std::string::npos);
  TicketTracker u("tkt_2", "api");
  auto cancelled = u.on_event(event(TicketClosed{"tkt_2", false, "the game's servers failed too often"}));
  EXPECT_EQ(cancelled.step, Step::failed);
  EXPECT_EQ(cancelled.message, "ticket tkt_2 was cancelled: the game's servers failed too often");
}

TEST(TicketTracker, ARequeueWaitsAgainPerhapsWithANewTicket) {
  TicketTracker t("tkt_1", "api");
  t.on_event(event(TicketMatched{"tkt_1", "mch_1"}));
  t.on_event(event(ready("ses_1", "tkt_1")));
  auto failed = t.on_event(event(SessionFailed{"ses_1", "server exited", true}));
  EXPECT_EQ(failed.step, Step::requeued);
  EXPECT_NE(failed.message.find("server exited"), std::string::npos);
  EXPECT_FALSE(t.session());

  auto again = t.on_event(event(TicketQueued{"tkt_2", "shifumi", "duel"}));
  EXPECT_EQ(again.step, Step::waiting);
  EXPECT_EQ(t.ticket_id(), "tkt_2");
  t.on_event(event(TicketMatched{"tkt_2", "mch_2"}));
  EXPECT_EQ(t.on_event(event(ready("ses_2", "tkt_2"))).step, Step::ready);
}

TEST(TicketTracker, ARequeueKeepsTheTicket) {
  TicketTracker t("tkt_1", "api");
  t.on_event(event(TicketMatched{"tkt_1", "mch_1"}));
  t.on_event(event(ready("ses_1", "tkt_1")));
  EXPECT_EQ(t.on_event(event(SessionFailed{"ses_1", "server exited", true})).step, Step::requeued);
  EXPECT_TRUE(t.on_event(event(TicketQueued{"tkt_1", "shifumi", "duel"})).message.empty());
  // Back in the queue as itself: another ticket's event is not ours.
  t.on_event(event(TicketQueued{"tkt_9", "shifumi", "duel"}));
  EXPECT_EQ(t.ticket_id(), "tkt_1");
  t.on_event(event(TicketMatched{"tkt_1", "mch_2"}));
  EXPECT_EQ(t.on_event(event(ready("ses_2", "tkt_1"))).step, Step::ready);
  EXPECT_EQ(t.session()->session_id, "ses_2");
}

TEST(TicketTracker, AFailureWithoutRequeueIsFinal) {
  TicketTracker t("tkt_1", "api");
  t.on_event(event(TicketMatched{"tkt_1", "mch_1"}));
  auto failed = t.on_event(event(SessionFailed{"ses_1", "no capacity", false}));
  EXPECT_EQ(failed.step, Step::failed);
  EXPECT_NE(failed.message.find("no capacity"), std::string::npos);
}

TEST(TicketTracker, AServerWithoutAHostIsOnTheApiHost) {
  for (auto host : {"", "0.0.0.0", "::"}) {
    TicketTracker t("tkt_1", "api.example");
    auto up = t.on_event(event(ready("ses_1", "tkt_1", host)));
    ASSERT_EQ(up.step, Step::ready);
    EXPECT_EQ(t.session()->host, "api.example");
    EXPECT_EQ(up.message, "server ready at api.example:40001");
  }
}

}  // namespace
}  // namespace webgames::play
