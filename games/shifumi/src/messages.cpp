#include "messages.h"

#include <boost/json/parse.hpp>

namespace shifumi {

namespace json = boost::json;

namespace {

json::value seat_id_or_null(const SeatIds& ids, std::optional<int> seat) {
  return seat ? json::value(ids[*seat]) : json::value(nullptr);
}

json::object score_object(const SeatIds& ids, const std::array<int, 2>& score) {
  return {{ids[0], score[0]}, {ids[1], score[1]}};
}

}  // namespace

std::optional<json::object> parse_message(std::string_view line) {
  boost::system::error_code ec;
  auto value = json::parse(line, ec);
  if (ec || !value.is_object() || !string_field(value.get_object(), "type")) return std::nullopt;
  return std::move(value.get_object());
}

std::optional<std::string_view> string_field(const json::object& message, std::string_view name) {
  auto* v = message.if_contains(name);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string_view(v->get_string());
}

json::object error_message(std::string_view code, std::string_view reason) {
  return {{"type", "error"}, {"code", code}, {"reason", reason}};
}

json::object welcome_message(std::string_view player_id, std::string_view name,
                             std::optional<std::string_view> opponent) {
  return {{"type", "welcome"},
          {"player", player_id},
          {"name", name},
          {"opponent", opponent ? json::value(*opponent) : json::value(nullptr)}};
}

json::object round_message(int round) { return {{"type", "round"}, {"round", round}}; }

json::object result_message(const SeatIds& ids, const Round& round, const std::array<int, 2>& score) {
  return {{"type", "result"},
          {"round", round.number},
          {"moves", {{ids[0], to_string(round.moves[0])}, {ids[1], to_string(round.moves[1])}}},
          {"winner", seat_id_or_null(ids, round.winner)},
          {"score", score_object(ids, score)}};
}

json::object game_over_message(const SeatIds& ids, std::optional<int> winner, const std::array<int, 2>& score,
                               std::string_view reason) {
  return {{"type", "game_over"},
          {"winner", seat_id_or_null(ids, winner)},
          {"score", score_object(ids, score)},
          {"reason", reason}};
}

}  // namespace shifumi
