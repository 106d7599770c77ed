// The JSON body of POST /v1/queues/{game}/{queue}/tickets
// (api/request_bodies.h): accepted attributes keep their bounds, and their
// JSON form (ticket_to_json) reads back to the same attributes (the skill to
// its last bits: see fuzz::nearly_equal).

#include "api/request_bodies.h"
#include "fuzz_check.h"

#include <boost/json/serialize.hpp>

#include <cmath>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace webgames;
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto a = api::read_ticket_body(body);
  if (!a) return 0;
  FUZZ_CHECK(a->pings.size() <= 16 && a->tags.size() <= 16);
  if (a->skill) FUZZ_CHECK(std::isfinite(*a->skill) && std::abs(*a->skill) <= 1e6);
  for (const auto& [region, ms] : a->pings)
    FUZZ_CHECK(!region.empty() && region.size() <= 32 && ms >= 0 && ms <= 10'000);
  for (const auto& [name, value] : a->tags) FUZZ_CHECK(!name.empty() && name.size() <= 32 && value.size() <= 64);

  Ticket t;
  t.attributes = *a;
  auto again = api::read_ticket_body(boost::json::serialize(ticket_to_json(t).at("attributes")));
  FUZZ_CHECK(again);
  FUZZ_CHECK(again->pings == a->pings && again->tags == a->tags && bool(again->skill) == bool(a->skill));
  if (a->skill) FUZZ_CHECK(fuzz::nearly_equal(*again->skill, *a->skill));
  return 0;
}
