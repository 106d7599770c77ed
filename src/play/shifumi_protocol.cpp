#include "play/shifumi_protocol.h"

#include "core/json_fields.h"

#include <fmt/format.h>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>

namespace webgames::play {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxId = 256;
constexpr std::size_t kMaxPlayers = 64;
constexpr std::array<std::string_view, 3> kMoveNames{"rock", "paper", "scissors"};

Error bad(const std::string& field, std::string_view expected) {
  return make_error(Errc::invalid_request, fmt::format("{} must be {}", field, expected), field);
}

// A player id or null (no winner).
Result<std::optional<std::string>> winner(const JsonFields& f) {
  const auto* v = f.object().if_contains("winner");
  if (!v || v->is_null()) return std::optional<std::string>();
  if (!v->is_string() || v->get_string().size() > kMaxId) return bad(f.path_of("winner"), "a player id or null");
  return std::optional<std::string>(std::string(v->get_string()));
}

Result<Score> score(const JsonFields& f) {
  auto o = f.object_or_null("score", kMaxPlayers);
  if (!o) return o.error();
  Score s;
  if (!*o) return s;
  // of() takes the value itself: given the object, it would view a temporary copy.
  auto fields = JsonFields::of(f.object().at("score"), f.path_of("score")).value();
  for (const auto& kv : **o) {
    auto n = fields.integer(kv.key(), 0, std::numeric_limits<std::int32_t>::max());
    if (!n) return n.error();
    s.emplace(std::string(kv.key()), *n);
  }
  return s;
}

// A string for humans: what `v` holds, JSON when not a string, empty when absent.
std::string loose_string(const json::value* v) {
  if (!v || v->is_null()) return "";
  auto text = v->is_string() ? std::string(v->get_string()) : json::serialize(*v);
  return text.substr(0, 1024);
}

// The opponent as the server describes it: a name, an object with a name or
// id, or nothing yet.
std::string opponent_name(const json::value* v) {
  if (!v) return "";
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_object()) {
    for (std::string_view key : {"name", "id", "player"}) {
      const auto* s = v->get_object().if_contains(key);
      if (s && s->is_string()) return std::string(s->get_string());
    }
  }
  return "";
}

Result<ServerMessage> parse_result(const JsonFields& f) {
  auto round = f.integer("round", 0, std::numeric_limits<std::int32_t>::max());
  if (!round) return round.error();
  auto w = winner(f);
  if (!w) return w.error();
  auto s = score(f);
  if (!s) return s.error();
  RoundResult r{*round, {}, std::move(*w), std::move(*s)};
  auto moves = f.object_or_null("moves", kMaxPlayers);
  if (!moves) return moves.error();
  if (*moves) {
    auto mf = JsonFields::of(f.object().at("moves"), f.path_of("moves")).value();
    for (const auto& kv : **moves) {
      auto m = mf.string(kv.key(), 32);
      if (!m) return m.error();
      r.moves.emplace(std::string(kv.key()), std::move(*m));
    }
  }
  return r;
}

}  // namespace

std::string_view to_string(Move move) { return kMoveNames[static_cast<std::size_t>(move)]; }

std::optional<Move> parse_move(std::string_view input) {
  auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!input.empty() && space(input.front())) input.remove_prefix(1);
  while (!input.empty() && space(input.back())) input.remove_suffix(1);
  if (input.empty() || input.size() > 8) return std::nullopt;
  std::string word(input);
  std::transform(word.begin(), word.end(), word.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  for (std::size_t i = 0; i < kMoveNames.size(); ++i) {
    if (word == kMoveNames[i] || (word.size() == 1 && word[0] == kMoveNames[i][0])) return static_cast<Move>(i);
  }
  return std::nullopt;
}

Result<ServerMessage> parse_server_message(std::string_view line) {
  if (line.size() > kMaxLineBytes) return make_error(Errc::payload_too_large, "line is too long");
  auto doc = parse_json(line);
  if (!doc) return doc.error();
  auto f = JsonFields::of(*doc);
  if (!f) return f.error();
  auto type = f->string("type", 64);
  if (!type) return type.error();

  if (*type == "welcome") {
    auto player = f->string("player", kMaxId);
    if (!player) return player.error();
    auto name = f->string_or("name", kMaxId, "");
    if (!name) return name.error();
    return Welcome{*player, *name, opponent_name(f->object().if_contains("opponent"))};
  }
  if (*type == "round") {
    auto round = f->integer("round", 0, std::numeric_limits<std::int32_t>::max());
    if (!round) return round.error();
    return RoundStarted{*round};
  }
  if (*type == "result") return parse_result(*f);
  if (*type == "game_over") {
    auto w = winner(*f);
    if (!w) return w.error();
    auto s = score(*f);
    if (!s) return s.error();
    return GameOver{std::move(*w), std::move(*s), loose_string(f->object().if_contains("reason"))};
  }
  if (*type == "error") {
    auto reason = loose_string(f->object().if_contains("reason"));
    return ServerError{loose_string(f->object().if_contains("code")), reason.empty() ? "no reason given" : reason};
  }
  return OtherMessage{};
}

std::string join_line(std::string_view join_token) {
  return json::serialize(json::object{{"type", "join"}, {"token", join_token}}) + "\n";
}

std::string move_line(Move move) {
  return json::serialize(json::object{{"type", "move"}, {"move", to_string(move)}}) + "\n";
}

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::win:
      return "win";
    case Outcome::lose:
      return "lose";
    case Outcome::draw:
      return "draw";
  }
  return "draw";
}

Outcome outcome_for(const std::optional<std::string>& winner, std::string_view me) {
  if (!winner) return Outcome::draw;
  return *winner == me ? Outcome::win : Outcome::lose;
}

std::string score_line(const Score& score, std::string_view me) {
  std::int64_t mine = 0;
  std::int64_t theirs = 0;
  for (const auto& [player, points] : score) {
    if (player == me)
      mine = points;
    else
      theirs = std::max(theirs, points);
  }
  return fmt::format("{}-{}", mine, theirs);
}

}  // namespace webgames::play
