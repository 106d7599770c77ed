#include "director/session_events.h"

#include <boost/json/parse.hpp>

namespace webgames {

namespace json = boost::json;

SessionEndEvent session_end_event(const Session& s, bool requeued) {
  if (s.state == SessionState::ended) {
    boost::system::error_code ec;
    auto results = s.results.empty() ? json::value(json::array{}) : json::parse(s.results, ec);
    if (ec) results = json::array{};
    return {"session.ended", json::object{{"session_id", s.id}, {"results", std::move(results)}}};
  }
  return {"session.failed", json::object{{"session_id", s.id}, {"reason", s.reason}, {"requeued", requeued}}};
}

namespace {

// Whether `stream` holds an event of session `session_id` whose type `is_wanted`.
template <class TypeTest>
bool holds_session_event(const std::vector<std::string>& stream, std::string_view session_id, TypeTest is_wanted) {
  for (const auto& text : stream) {
    // Cheap test first: most events of a stream are of other sessions.
    if (text.find(session_id) == std::string::npos) continue;
    boost::system::error_code ec;
    auto event = json::parse(text, ec);
    if (ec || !event.is_object()) continue;
    const auto* type = event.get_object().if_contains("type");
    const auto* data = event.get_object().if_contains("data");
    if (!type || !type->is_string() || !data || !data->is_object()) continue;
    if (!is_wanted(std::string_view(type->get_string()))) continue;
    const auto* id = data->get_object().if_contains("session_id");
    if (id && id->is_string() && id->get_string() == session_id) return true;
  }
  return false;
}

}  // namespace

bool holds_session_end(const std::vector<std::string>& stream, std::string_view session_id) {
  return holds_session_event(stream, session_id,
                             [](std::string_view type) { return type == "session.ended" || type == "session.failed"; });
}

bool holds_session_ready(const std::vector<std::string>& stream, std::string_view session_id) {
  return holds_session_event(stream, session_id, [](std::string_view type) { return type == "session.ready"; });
}

}  // namespace webgames
