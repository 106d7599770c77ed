#include "api/session_query.h"

#include "core/encoding.h"
#include "domain/game.h"
#include "http/message.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace webgames::api {
namespace {

// Unix seconds up to the year 9999: beyond, a client is confused or hostile.
constexpr std::int64_t kMaxUnixSeconds = 253'402'300'799;
constexpr std::size_t kMaxCursorBytes = 128;

Error bad(std::string field, std::string message) {
  return make_error(Errc::invalid_field, std::move(message), std::move(field));
}

std::optional<std::int64_t> whole_number(std::string_view text, std::int64_t max) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || v < 0 || v > max) return std::nullopt;
  return v;
}

bool is_id_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'; }

bool is_player(std::string_view text) {
  return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), is_id_char);
}

Result<SessionCursor> read_cursor(std::string_view text) {
  auto invalid = bad("cursor", "cursor must be the next_cursor of an earlier page");
  if (text.size() > kMaxCursorBytes) return invalid;
  auto decoded = base64url_decode(text);
  if (!decoded) return invalid;
  auto colon = decoded->find(':');
  if (colon == std::string::npos) return invalid;
  auto at = whole_number(std::string_view(*decoded).substr(0, colon), kMaxUnixSeconds * 1000);
  auto id = std::string_view(*decoded).substr(colon + 1);
  if (!at || id.empty() || id.size() > 64 || !std::all_of(id.begin(), id.end(), is_id_char)) return invalid;
  return SessionCursor{TimePoint{std::chrono::milliseconds(*at)}, std::string(id)};
}

}  // namespace

std::string session_cursor_text(const SessionCursor& last) {
  return base64url_encode(fmt::format("{}:{}", last.created_at.time_since_epoch().count(), last.id));
}

Result<SessionQuery> read_session_query(std::string_view target) {
  SessionQuery q;
  unsigned seen = 0;  // one bit per parameter: each may appear once
  for (const auto& [name, value] : http::query_pairs(target)) {
    static constexpr std::string_view kNames[] = {"game", "state", "player", "since", "until", "limit", "cursor"};
    auto known = std::find(std::begin(kNames), std::end(kNames), name);
    if (known == std::end(kNames)) {
      auto shown = name.substr(0, 32);
      return bad(std::string(shown), fmt::format("unknown parameter \"{}\"; GET /v1/sessions takes game, state, "
                                                 "player, since, until, limit and cursor",
                                                 shown));
    }
    unsigned bit = 1u << (known - std::begin(kNames));
    if (seen & bit) return bad(std::string(name), fmt::format("{} is given twice", name));
    seen |= bit;
    if (name == "game") {
      if (!is_slug(value)) return bad("game", "game must be a game's name: 1 to 64 of a-z, 0-9 and '-'");
      q.game = value;
    } else if (name == "state") {
      q.state = parse_session_state(value);
      if (!q.state) return bad("state", "state must be allocating, starting, idle, ready, running, ended or failed");
    } else if (name == "player") {
      if (!is_player(value)) return bad("player", "player must be an account id or a username (1 to 64 characters)");
      q.player = value;
    } else if (name == "since" || name == "until") {
      auto seconds = whole_number(value, kMaxUnixSeconds);
      if (!seconds) return bad(std::string(name), fmt::format("{} must be a Unix time in seconds", name));
      (name == "since" ? q.since : q.until) = TimePoint{std::chrono::seconds(*seconds)};
    } else if (name == "limit") {
      auto limit = whole_number(value, kMaxSessionPage);
      if (!limit || *limit < 1)
        return bad("limit", fmt::format("limit must be a number from 1 to {}", kMaxSessionPage));
      q.limit = static_cast<std::size_t>(*limit);
    } else {
      auto cursor = read_cursor(value);
      if (!cursor) return cursor.error();
      q.after = std::move(*cursor);
    }
  }
  if (q.since && q.until && *q.until <= *q.since) return bad("until", "until must be later than since");
  return q;
}

}  // namespace webgames::api
