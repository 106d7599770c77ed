#include "play/event.h"

#include <gtest/gtest.h>

namespace webgames::play {
namespace {

TEST(ParseEvent, ReadsTicketEvents) {
  auto queued =
      parse_event(R"({"id":1,"type":"ticket.queued","data":{"ticket_id":"tkt_1","game":"shifumi","queue":"duel"}})");
  ASSERT_TRUE(queued) << queued.error().message;
  EXPECT_EQ(queued->id, 1);
  EXPECT_EQ(queued->type, "ticket.queued");
  const auto& q = std::get<TicketQueued>(queued->data);
  EXPECT_EQ(q.ticket_id, "tkt_1");
  EXPECT_EQ(q.game, "shifumi");
  EXPECT_EQ(q.queue, "duel");

  auto matched = parse_event(R"({"id":2,"type":"ticket.matched","data":{"ticket_id":"tkt_1","match_id":"mch_9"}})");
  ASSERT_TRUE(matched);
  EXPECT_EQ(std::get<TicketMatched>(matched->data).match_id, "mch_9");

  auto expired = parse_event(R"({"id":3,"type":"ticket.expired","data":{"ticket_id":"tkt_1"}})");
  ASSERT_TRUE(expired);
  EXPECT_TRUE(std::get<TicketClosed>(expired->data).expired);
  auto cancelled = parse_event(R"({"id":4,"type":"ticket.cancelled","data":{"ticket_id":"tkt_1"}})");
  ASSERT_TRUE(cancelled);
  EXPECT_FALSE(std::get<TicketClosed>(cancelled->data).expired);
  auto by_webgames = parse_event(
      R"({"id":5,"type":"ticket.cancelled","data":{"ticket_id":"tkt_1","reason":"game_deleted","message":"the game was deleted"}})");
  ASSERT_TRUE(by_webgames);
  EXPECT_EQ(std::get<TicketClosed>(by_webgames->data).reason, "the game was deleted");
}

TEST(ParseEvent, ReadsSessionReady) {
  auto e = parse_event(R"({"id":7,"type":"session.ready","data":{"session_id":"ses_1","ticket_id":"tkt_1",
      "host":"127.0.0.1","port":40001,"join_token":"jt.abc","ports":{"game":40001,"voice":40002}}})");
  ASSERT_TRUE(e) << e.error().message;
  const auto& r = std::get<SessionReady>(e->data);
  EXPECT_EQ(r.session_id, "ses_1");
  EXPECT_EQ(r.ticket_id, "tkt_1");
  EXPECT_EQ(r.host, "127.0.0.1");
  EXPECT_EQ(r.port, 40001);
  EXPECT_EQ(r.join_token, "jt.abc");
  ASSERT_EQ(r.ports.size(), 2u);
  EXPECT_EQ(r.ports.at("voice"), 40002);
}

TEST(ParseEvent, SessionReadyNeedsAnAddressAndAToken) {
  auto no_token = parse_event(R"({"id":7,"type":"session.ready","data":{"session_id":"s","host":"h","port":1}})");
  ASSERT_FALSE(no_token);
  EXPECT_EQ(no_token.error().field, "data.join_token");

  auto bad_port = parse_event(
      R"({"id":7,"type":"session.ready","data":{"session_id":"s","host":"h","port":70000,"join_token":"t"}})");
  ASSERT_FALSE(bad_port);
  EXPECT_EQ(bad_port.error().field, "data.port");

  auto bad_named_port = parse_event(
      R"({"id":7,"type":"session.ready","data":{"session_id":"s","host":"h","port":1,"join_token":"t","ports":{"game":"x"}}})");
  ASSERT_FALSE(bad_named_port);
  EXPECT_EQ(bad_named_port.error().field, "data.ports.game");
}

TEST(ParseEvent, ReadsSessionEndAndFailure) {
  auto ended =
      parse_event(R"({"id":8,"type":"session.ended","data":{"session_id":"ses_1","results":[{"player":"a"}]}})");
  ASSERT_TRUE(ended);
  EXPECT_EQ(std::get<SessionEnded>(ended->data).results.size(), 1u);

  auto failed = parse_event(
      R"({"id":9,"type":"session.failed","data":{"session_id":"ses_1","reason":"server exited","requeued":true}})");
  ASSERT_TRUE(failed);
  const auto& f = std::get<SessionFailed>(failed->data);
  EXPECT_EQ(f.reason, "server exited");
  EXPECT_TRUE(f.requeued);

  auto not_requeued = parse_event(R"({"id":10,"type":"session.failed","data":{"session_id":"ses_1"}})");
  ASSERT_TRUE(not_requeued);
  EXPECT_FALSE(std::get<SessionFailed>(not_requeued->data).requeued);

  auto bad = parse_event(R"({"id":11,"type":"session.failed","data":{"session_id":"s","requeued":"yes"}})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "data.requeued");
}

TEST(ParseEvent, SkipsUnknownTypes) {
  auto e = parse_event(R"({"id":12,"type":"party.invited","data":{"whatever":[1,2]}})");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, "party.invited");
  EXPECT_TRUE(std::holds_alternative<OtherEvent>(e->data));
}

TEST(ParseEvent, RefusesMalformedFrames) {
  EXPECT_FALSE(parse_event("not json"));
  EXPECT_FALSE(parse_event("[1]"));
  auto no_id = parse_event(R"({"type":"ticket.queued","data":{}})");
  ASSERT_FALSE(no_id);
  EXPECT_EQ(no_id.error().field, "id");
  auto missing = parse_event(R"({"id":1,"type":"ticket.matched","data":{"ticket_id":"t"}})");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "data.match_id");
  auto no_data = parse_event(R"({"id":1,"type":"ticket.cancelled"})");
  ASSERT_FALSE(no_data);
  EXPECT_EQ(no_data.error().field, "data.ticket_id");
  EXPECT_FALSE(parse_event(std::string(kMaxEventBytes + 1, ' ')));
}

}  // namespace
}  // namespace webgames::play
