#include "api/queue_breakdown_json.h"

#include <boost/json/array.hpp>

namespace webgames::api {
namespace {

namespace json = boost::json;

template <class T>
json::value or_null(const std::optional<T>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

}  // namespace

json::object queue_breakdown_json(const QueueBreakdown& b) {
  json::array skill, region, wait;
  for (const auto& s : b.by_skill)
    skill.push_back(json::object{{"from", s.from}, {"to", s.to}, {"tickets", s.tickets}, {"players", s.players}});
  for (const auto& r : b.by_region)
    region.push_back(json::object{{"region", r.region.empty() ? json::value(nullptr) : json::value(r.region)},
                                  {"tickets", r.tickets},
                                  {"players", r.players}});
  for (const auto& w : b.by_wait)
    wait.push_back(json::object{{"from_ms", w.from.count()},
                                {"to_ms", w.to ? json::value(w.to->count()) : json::value(nullptr)},
                                {"tickets", w.tickets},
                                {"players", w.players},
                                {"skill_step", w.skill_step < 0 ? json::value(nullptr) : json::value(w.skill_step)},
                                {"skill_window", or_null(w.skill_window)},
                                {"ping_step", w.ping_step < 0 ? json::value(nullptr) : json::value(w.ping_step)},
                                {"max_ping_ms", or_null(w.max_ping_ms)},
                                {"below_max", w.below_max}});
  return json::object{{"counted", b.counted},
                      {"complete", b.complete},
                      {"by_skill", std::move(skill)},
                      {"by_region", std::move(region)},
                      {"by_wait", std::move(wait)}};
}

}  // namespace webgames::api
