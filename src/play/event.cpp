#include "play/event.h"

#include "core/json_fields.h"

#include <boost/json/object.hpp>

#include <array>
#include <limits>

namespace webgames::play {
namespace {

constexpr std::size_t kMaxId = 256;
constexpr std::size_t kMaxText = 4096;

// The required string fields `keys` of `d`, in order, each at most `max` bytes.
template <std::size_t N>
Result<std::array<std::string, N>> strings(const JsonFields& d, const std::array<std::string_view, N>& keys,
                                           std::size_t max) {
  std::array<std::string, N> values;
  for (std::size_t i = 0; i < N; ++i) {
    auto v = d.string(keys[i], max);
    if (!v) return v.error();
    values[i] = std::move(*v);
  }
  return values;
}

Result<std::uint16_t> port(const JsonFields& d, std::string_view key) {
  auto p = d.integer(key, 1, std::numeric_limits<std::uint16_t>::max());
  if (!p) return p.error();
  return static_cast<std::uint16_t>(*p);
}

Result<EventData> parse_session_ready(const JsonFields& d) {
  auto f = strings<3>(d, {"session_id", "host", "join_token"}, kMaxText);
  if (!f) return f.error();
  auto ticket = d.string_or("ticket_id", kMaxId, "");
  if (!ticket) return ticket.error();
  auto main_port = port(d, "port");
  if (!main_port) return main_port.error();
  SessionReady ready{(*f)[0], *ticket, (*f)[1], *main_port, (*f)[2], {}};
  auto ports = d.object_or_null("ports", 64);
  if (!ports) return ports.error();
  if (*ports) {
    // of() takes the value itself: given the object, it would view a temporary copy.
    auto named = JsonFields::of(d.object().at("ports"), d.path_of("ports")).value();
    for (const auto& kv : **ports) {
      auto p = port(named, kv.key());
      if (!p) return p.error();
      ready.ports.emplace(std::string(kv.key()), *p);
    }
  }
  return ready;
}

Result<EventData> parse_data(std::string_view type, const JsonFields& d) {
  if (type == "ticket.queued") {
    auto f = strings<3>(d, {"ticket_id", "game", "queue"}, kMaxId);
    if (!f) return f.error();
    return TicketQueued{(*f)[0], (*f)[1], (*f)[2]};
  }
  if (type == "ticket.matched") {
    auto f = strings<2>(d, {"ticket_id", "match_id"}, kMaxId);
    if (!f) return f.error();
    return TicketMatched{(*f)[0], (*f)[1]};
  }
  if (type == "ticket.cancelled" || type == "ticket.expired") {
    auto f = strings<1>(d, {"ticket_id"}, kMaxId);
    if (!f) return f.error();
    // Webgames' cancellations carry a code (`reason`) and words (`message`):
    // people read the words.
    auto reason = d.string_or("reason", kMaxText, "");
    if (!reason) return reason.error();
    auto message = d.string_or("message", kMaxText, "");
    if (!message) return message.error();
    return TicketClosed{(*f)[0], type == "ticket.expired", message->empty() ? *reason : *message};
  }
  if (type == "session.ready") return parse_session_ready(d);
  if (type == "session.ended") {
    auto f = strings<1>(d, {"session_id"}, kMaxId);
    if (!f) return f.error();
    auto results = d.array_or_null("results", 1024);
    if (!results) return results.error();
    return SessionEnded{(*f)[0], *results ? **results : boost::json::array{}};
  }
  if (type == "session.failed") {
    auto f = strings<1>(d, {"session_id"}, kMaxId);
    if (!f) return f.error();
    auto reason = d.string_or("reason", kMaxText, "");
    if (!reason) return reason.error();
    const auto* requeued = d.object().if_contains("requeued");
    if (requeued && !requeued->is_bool())
      return make_error(Errc::invalid_request, d.path_of("requeued") + " must be a boolean", d.path_of("requeued"));
    return SessionFailed{(*f)[0], *reason, requeued && requeued->get_bool()};
  }
  return OtherEvent{};
}

}  // namespace

Result<Event> parse_event(std::string_view text) {
  if (text.size() > kMaxEventBytes) return make_error(Errc::payload_too_large, "event frame is too large");
  auto doc = parse_json(text);
  if (!doc) return doc.error();
  auto root = JsonFields::of(*doc);
  if (!root) return root.error();
  auto id = root->integer("id", 0, std::numeric_limits<std::int64_t>::max());
  if (!id) return id.error();
  auto type = root->string("type", kMaxId);
  if (!type) return type.error();
  auto data_value = root->object().if_contains("data");
  static const boost::json::value empty = boost::json::object{};
  auto data = JsonFields::of(data_value ? *data_value : empty, "data");
  if (!data) return data.error();
  auto parsed = parse_data(*type, *data);
  if (!parsed) return parsed.error();
  return Event{*id, std::move(*type), std::move(*parsed)};
}

}  // namespace webgames::play
