#include "core/json_fields.h"
#include "core/json_duplicate_keys.h"

#include <gtest/gtest.h>

namespace webgames {
namespace {

JsonFields fields(const boost::json::value& v, std::string path = {}) {
  return JsonFields::of(v, std::move(path)).value();
}

TEST(JsonFields, ReadsTypedValues) {
  auto doc = parse_json(R"({"name":"duel","teams":2,"cpu":0.5})").value();
  auto f = fields(doc);
  EXPECT_EQ(f.string("name", 64).value(), "duel");
  EXPECT_EQ(f.integer("teams", 1, 10).value(), 2);
  EXPECT_DOUBLE_EQ(f.number_or("cpu", 0, 4, 1).value(), 0.5);
  EXPECT_EQ(f.string_or("title", 64, "none").value(), "none");
}

TEST(JsonFields, NamesTheFieldByItsPath) {
  auto doc = parse_json(R"({"teams":"two"})").value();
  auto f = fields(doc, "queues[3]");
  auto r = f.integer("teams", 1, 10);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::invalid_request);
  EXPECT_EQ(r.error().field, "queues[3].teams");

  auto missing = f.string("name", 10);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "queues[3].name");
}

TEST(JsonFields, EnforcesBounds) {
  auto doc = parse_json(R"({"name":"abcdef","n":11})").value();
  auto f = fields(doc);
  auto s = f.string("name", 5);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Errc::invalid_field);
  auto n = f.integer("n", 1, 10);
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, Errc::invalid_field);
}

TEST(JsonFields, AWholeNumberBeyond64BitsIsOutOfRangeNotOfTheWrongType) {
  auto doc = parse_json(R"({"big":9223372036854775808,"huge":1e300,"half":2.5,"small":-1e300})").value();
  auto f = fields(doc);
  for (const auto* key : {"big", "huge", "small"}) {
    auto n = f.integer(key, 1, 10);
    ASSERT_FALSE(n) << key;
    EXPECT_EQ(n.error().code, Errc::invalid_field) << key;
    EXPECT_EQ(n.error().message, std::string(key) + " must be between 1 and 10");
  }
  auto half = f.integer("half", 1, 10);
  ASSERT_FALSE(half);
  EXPECT_EQ(half.error().code, Errc::invalid_request);
  EXPECT_EQ(half.error().message, "half must be an integer");
}

TEST(JsonFields, RefusesUnknownKeys) {
  auto doc = parse_json(R"({"name":"x","nmae":"y"})").value();
  auto r = fields(doc).only({"name"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "nmae");
}

TEST(JsonFields, RefusesNonObjects) {
  auto doc = parse_json("[1,2]").value();
  EXPECT_FALSE(JsonFields::of(doc));
}

TEST(ParseJson, RefusesANumberBeyondADoublesRangeNamingItsPath) {
  auto r = parse_json(R"({"results":[{"team":0,"score":3},{"team":1,"score":1e999}]})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::invalid_field);
  EXPECT_EQ(r.error().field, "results[1].score");
  EXPECT_EQ(r.error().message, "results[1].score is a number beyond the range of a double");
  auto top = parse_json("-1e999");
  ASSERT_FALSE(top);
  EXPECT_EQ(top.error().field, "body");
  EXPECT_TRUE(parse_json(R"({"a":[1.5e308,-1e-400,0]})"));
}

TEST(ParseJson, RefusesMalformedAndDeepDocuments) {
  EXPECT_FALSE(parse_json("{\"a\":"));
  EXPECT_FALSE(parse_json(std::string(100, '[') + std::string(100, ']')));
  EXPECT_TRUE(parse_json(std::string(10, '[') + std::string(10, ']')));
}

TEST(ParseJson, RefusesAKeyGivenTwiceInOneObjectNamingItsPath) {
  auto top = parse_json(R"({"role":"player","role":"developer"})");
  ASSERT_FALSE(top);
  EXPECT_EQ(top.error().code, Errc::invalid_request);
  EXPECT_EQ(top.error().field, "role");
  EXPECT_NE(top.error().message.find("role is given twice"), std::string::npos) << top.error().message;
  auto nested = parse_json(R"({"server":{"env":{"A":"1","B":"2","A":"3"}}})");
  ASSERT_FALSE(nested);
  EXPECT_EQ(nested.error().field, "server.env.A");
  auto in_array = parse_json(R"({"queues":[{"name":"a"},[1,{"x":1}],{"name":"b","name":"c"}]})");
  ASSERT_FALSE(in_array);
  EXPECT_EQ(in_array.error().field, "queues[2].name");
  // Escapes spell the same key: still twice.
  auto escaped = parse_json(R"({"a":1,"\u0061":2})");
  ASSERT_FALSE(escaped);
  EXPECT_EQ(escaped.error().field, "a");
}

TEST(ParseJson, TheSameKeyInDifferentObjectsIsNotADuplicate) {
  EXPECT_TRUE(parse_json(R"({"a":{"a":1},"b":[{"a":1},{"a":2}],"c":{"b":{"a":{}}}})"));
  EXPECT_TRUE(parse_json(R"([{"k":1},{"k":2}])"));
  EXPECT_FALSE(first_duplicate_key(R"({"a":1,"b":2})"));
  EXPECT_EQ(first_duplicate_key(R"([[],[{"z":0,"z":0}]])"), "[1][0].z");
}

// An object of many keys: every one is checked. (The check is hashed, so a
// 64 KiB body of short keys costs linear time, not quadratic; this test
// holds only that no key is missed.)
TEST(ParseJson, AKeyRepeatedAfterThousandsOfOthersIsFound) {
  std::string text = "{";
  for (int i = 0; i < 20000; ++i) text += "\"k" + std::to_string(i) + "\":0,";
  EXPECT_FALSE(first_duplicate_key(text + "\"end\":0}"));
  EXPECT_EQ(first_duplicate_key(text + "\"k19999\":1}"), "k19999");
}

}  // namespace
}  // namespace webgames
