#include "director/session_end_event.h"

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

bool holds_session_end(const std::vector<std::string>& stream, std::string_view session_id) {
  for (const auto& text : stream) {
    // Cheap test first: most events of a stream are of other sessions.
    if (text.find(session_id) == std::string::npos) continue;
    boost::system::error_code ec;
    auto event = json::parse(text, ec);
    if (ec || !event.is_object()) continue;
    const auto* type = event.get_object().if_contains("type");
    const auto* data = event.get_object().if_contains("data");
    if (!type || !type->is_string() || !data || !data->is_object()) continue;
    if (type->get_string() != "session.ended" && type->get_string() != "session.failed") continue;
    const auto* id = data->get_object().if_contains("session_id");
    if (id && id->is_string() && id->get_string() == session_id) return true;
  }
  return false;
}

}  // namespace webgames
