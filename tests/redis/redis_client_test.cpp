// redis::Client and redis::Subscriber against a real redis-server.

#include "redis/client.h"

#include "redis/redis_test.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <unistd.h>

#include <atomic>
#include <future>
#include <mutex>

namespace webgames::testing {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using redis::cmd;
using redis::Reply;
using ::testing::HasSubstr;

class RedisClientTest : public ::testing::Test {
 protected:
  std::string key(std::string_view name) const {
    auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return fmt::format("test:{}:{}:{}", ::getpid(), info->name(), name);  // fresh in every run
  }
  Result<Reply> call(redis::Client& c, redis::Command command, std::optional<std::chrono::milliseconds> timeout = {}) {
    return sync(loop.executor(), c.call(std::move(command), timeout));
  }

  Loop loop;
  std::unique_ptr<redis::Client> client = std::make_unique<redis::Client>(loop.executor(), shared_redis());
};

TEST(RedisUrlTest, ParsesHostPortDatabaseAndCredentials) {
  auto o = redis::parse_url("redis://10.0.0.5:6380/2");
  ASSERT_TRUE(o) << o.error().message;
  EXPECT_EQ(o->host, "10.0.0.5");
  EXPECT_EQ(o->port, 6380);
  EXPECT_EQ(o->database, 2);
  o = redis::parse_url("redis://:secret@cache");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->host, "cache");
  EXPECT_EQ(o->port, 6379);
  EXPECT_EQ(o->password, "secret");
  o = redis::parse_url("redis://[::1]:7000");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->host, "::1");
  EXPECT_EQ(o->address(), "[::1]:7000");
  for (auto bad : {"http://x", "redis://", "redis://h:0", "redis://h:99999", "redis://h/x", "redis://user@h"}) {
    auto r = redis::parse_url(bad, "data.live_state");
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, Errc::invalid_field);
    EXPECT_EQ(r.error().field, "data.live_state");
  }
}

TEST_F(RedisClientTest, RoundTripsEachKindOfReply) {
  auto set = call(*client, cmd({"SET", key("k"), "v"}));
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->type, Reply::Type::status);
  EXPECT_EQ(set->str, "OK");
  auto get = call(*client, cmd({"GET", key("k")}));
  ASSERT_TRUE(get);
  EXPECT_EQ(get->type, Reply::Type::string);
  EXPECT_EQ(get->str, "v");
  auto missing = call(*client, cmd({"GET", key("missing")}));
  ASSERT_TRUE(missing);
  EXPECT_TRUE(missing->is_nil());
  auto n = call(*client, cmd({"INCRBY", key("n"), "41"}));
  ASSERT_TRUE(n);
  EXPECT_EQ(n->type, Reply::Type::integer);
  EXPECT_EQ(n->integer, 41);
  call(*client, cmd({"RPUSH", key("list"), "a", "b", "c"}));
  auto list = call(*client, cmd({"LRANGE", key("list"), "0", "-1"}));
  ASSERT_TRUE(list);
  ASSERT_EQ(list->type, Reply::Type::array);
  ASSERT_EQ(list->elements.size(), 3u);
  EXPECT_EQ(list->elements[2].str, "c");
  EXPECT_TRUE(client->connected());
  EXPECT_EQ(client->status(), "connected");
}

TEST_F(RedisClientTest, APipelineOfManyCommandsAnswersEachInOrder) {
  std::vector<redis::Command> commands;
  for (int i = 0; i < 20'000; ++i) commands.push_back(cmd({"INCR", key("counter")}));
  auto replies = sync(loop.executor(), client->pipeline(std::move(commands)));
  ASSERT_TRUE(replies) << replies.error().message;
  ASSERT_EQ(replies->size(), 20'000u);
  for (int i = 0; i < 20'000; ++i) {
    ASSERT_TRUE((*replies)[i]);
    ASSERT_EQ((*replies)[i]->integer, i + 1);
  }
}

// Many callers at once on other executors: their commands share the
// connection (written together) and each gets its own replies.
TEST_F(RedisClientTest, ConcurrentCallersEachGetTheirOwnReplies) {
  Loop callers;
  constexpr int n = 2000;
  std::atomic<int> right{0}, finished{0};
  for (int i = 0; i < n; ++i) {
    asio::co_spawn(
        callers.executor(),
        [&, i]() -> asio::awaitable<void> {
          auto k = key(std::to_string(i));
          std::vector<redis::Command> both{cmd({"SET", k, std::to_string(i)}), cmd({"GET", k})};
          auto r = co_await client->pipeline(std::move(both));
          if (r && r->size() == 2 && (*r)[1] && (*r)[1]->str == std::to_string(i)) ++right;
          ++finished;
        },
        asio::detached);
  }
  ASSERT_TRUE(eventually([&] { return finished == n; }));
  EXPECT_EQ(right, n);
}

TEST_F(RedisClientTest, LargeBinaryValuesRoundTrip) {
  std::string value(16 * 1024 * 1024, '\0');
  for (std::size_t i = 0; i < value.size(); ++i) value[i] = static_cast<char>((i * 131) % 256);
  value.replace(1000, 4, "\r\n\r\n");
  ASSERT_TRUE(call(*client, cmd({"SET", key("big"), value}), 20s));
  auto got = call(*client, cmd({"GET", key("big")}), 20s);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->str.size(), value.size());
  EXPECT_TRUE(got->str == value);
  auto len = call(*client, cmd({"STRLEN", key("big")}));
  ASSERT_TRUE(len);
  EXPECT_EQ(len->integer, static_cast<long long>(value.size()));
}

TEST_F(RedisClientTest, ErrorRepliesAreValuesAndLeaveTheConnectionUsable) {
  ASSERT_TRUE(call(*client, cmd({"SET", key("s"), "text"})));
  auto wrong = call(*client, cmd({"LPUSH", key("s"), "x"}));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, Errc::internal);
  EXPECT_THAT(wrong.error().message, HasSubstr("WRONGTYPE"));
  auto unknown = call(*client, cmd({"NOSUCHCOMMAND"}));
  ASSERT_FALSE(unknown);
  EXPECT_THAT(unknown.error().message, HasSubstr("unknown command"));

  auto replies = sync(loop.executor(),
                      client->pipeline({cmd({"INCR", key("c")}), cmd({"INCR", key("s")}), cmd({"INCR", key("c")})}));
  ASSERT_TRUE(replies);
  ASSERT_EQ(replies->size(), 3u);
  EXPECT_EQ((*replies)[0]->integer, 1);
  ASSERT_FALSE((*replies)[1]);
  EXPECT_THAT((*replies)[1].error().message, HasSubstr("not an integer"));
  EXPECT_EQ((*replies)[2]->integer, 2);
  EXPECT_TRUE(call(*client, cmd({"PING"})));
}

// A call whose reply is late fails with unavailable at its deadline; the
// late reply is dropped when it comes, and later calls get their own.
TEST_F(RedisClientTest, ACallFailsAtItsDeadlineAndTheNextCallsGetTheirOwnReplies) {
  auto start = std::chrono::steady_clock::now();
  auto late = call(*client, cmd({"BLPOP", key("never"), "0.6"}), 100ms);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, Errc::unavailable);
  EXPECT_THAT(late.error().message, HasSubstr("no reply within 100 ms"));
  EXPECT_LT(took, 550ms);
  ASSERT_TRUE(call(*client, cmd({"SET", key("after"), "mine"})));
  auto mine = call(*client, cmd({"GET", key("after")}), 5s);
  ASSERT_TRUE(mine) << mine.error().message;
  EXPECT_EQ(mine->str, "mine");
}

TEST_F(RedisClientTest, NobodyListeningIsUnavailableAtOnce) {
  redis::Options o;
  o.port = 1;  // nothing listens on port 1 of the loopback
  redis::Client nowhere(loop.executor(), o);
  auto r = call(nowhere, cmd({"PING"}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::unavailable);
  EXPECT_THAT(r.error().message, HasSubstr("127.0.0.1:1"));
  EXPECT_FALSE(nowhere.connected());
  EXPECT_THAT(nowhere.status(), HasSubstr("refused"));
}

TEST_F(RedisClientTest, LuaScriptsRunByShaAndSurviveAScriptFlush) {
  auto script = std::make_shared<redis::Script>(
      "local n = redis.call('INCRBY', KEYS[1], ARGV[1])\n"
      "if n > 100 then return redis.error_reply('CONFLICT over 100') end\n"
      "return n");
  EXPECT_EQ(script->sha1().size(), 40u);
  auto r = sync(loop.executor(), client->eval(script, {key("n")}, {"5"}));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->integer, 5);
  auto loaded = call(*client, cmd({"SCRIPT", "EXISTS", script->sha1()}));
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->elements.at(0).integer, 1);

  // Redis forgets its scripts (as after a restart without them): EVALSHA
  // answers NOSCRIPT, the client falls back to EVAL.
  ASSERT_TRUE(call(*client, cmd({"SCRIPT", "FLUSH"})));
  r = sync(loop.executor(), client->eval(script, {key("n")}, {"6"}));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->integer, 11);

  r = sync(loop.executor(), client->eval(script, {key("n")}, {"100"}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::conflict);
  EXPECT_THAT(r.error().message, HasSubstr("over 100"));
}

// redis-server killed with SIGKILL: calls fail with unavailable (never
// hang past their deadline, never throw); once it is back on the same port
// the client reconnects by itself and the data acknowledged before the kill
// is there (append-only file).
TEST(RedisRestartTest, CallsFailWhileRedisIsDownAndRecoverByThemselves) {
  PrivateRedis server;
  Loop loop;
  auto options = server.options();
  options.timeout = 500ms;
  options.backoff_max = 200ms;
  redis::Client client(loop.executor(), options);
  ASSERT_TRUE(sync(loop.executor(), client.call(cmd({"SET", "kept", "yes"}))));

  server.kill9();
  auto start = std::chrono::steady_clock::now();
  auto r = sync(loop.executor(), client.call(cmd({"GET", "kept"})));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::unavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_TRUE(eventually([&] { return !client.connected(); }));
  // Still down a while later: every call is an unavailable value.
  for (int i = 0; i < 5; ++i) {
    auto again = sync(loop.executor(), client.call(cmd({"PING"})));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, Errc::unavailable) << again.error().message;
    std::this_thread::sleep_for(50ms);
  }

  server.start();
  EXPECT_TRUE(eventually([&] {
    auto got = sync(loop.executor(), client.call(cmd({"GET", "kept"})));
    return got && got->str == "yes";
  }));
  EXPECT_TRUE(client.connected());
}

TEST(RedisSubscriberTest, DeliversMessagesAndSubscribesAgainAfterARestart) {
  PrivateRedis server;
  Loop loop;
  auto options = server.options();
  options.backoff_max = 200ms;
  redis::Client client(loop.executor(), options);
  auto strand = asio::make_strand(loop.executor());
  std::mutex mutex;
  std::vector<std::string> messages;
  std::atomic<int> confirmations{0}, losses{0};
  redis::Subscriber::Handlers h;
  h.subscribed = [&](const std::string& channel) {
    if (channel == "ch") ++confirmations;
  };
  h.message = [&](const std::string& channel, std::string payload) {
    std::lock_guard lock(mutex);
    messages.push_back(channel + "=" + payload);
  };
  h.lost = [&](const Error&) { ++losses; };
  std::unique_ptr<redis::Subscriber> sub;
  asio::post(strand, [&] {
    sub = std::make_unique<redis::Subscriber>(strand, options, h);
    sub->subscribe("ch");
  });
  ASSERT_TRUE(eventually([&] { return confirmations == 1; }));
  ASSERT_TRUE(sync(loop.executor(), client.call(cmd({"PUBLISH", "ch", "one"}))));
  ASSERT_TRUE(sync(loop.executor(), client.call(cmd({"PUBLISH", "other", "not for us"}))));
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(mutex);
    return messages.size() == 1;
  }));

  server.kill9();
  ASSERT_TRUE(eventually([&] { return losses >= 1; }));
  server.start();
  ASSERT_TRUE(eventually([&] { return confirmations == 2; }));
  ASSERT_TRUE(eventually([&] {
    auto r = sync(loop.executor(), client.call(cmd({"PUBLISH", "ch", "two"})));
    return r && r->integer == 1;
  }));
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(mutex);
    return messages.size() == 2;
  }));
  EXPECT_EQ(messages, (std::vector<std::string>{"ch=one", "ch=two"}));
  std::promise<void> gone;
  asio::post(strand, [&] {
    sub.reset();
    gone.set_value();
  });
  gone.get_future().wait();
}

}  // namespace
}  // namespace webgames::testing
