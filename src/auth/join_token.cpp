#include "auth/join_token.h"

#include "auth/jwt.h"

namespace webgames {

Result<std::string> verify_join_token(std::string_view token, const KeyRing& keys, std::string_view session_id,
                                      TimePoint now) {
  auto refuse = [](std::string_view why) { return make_error(Errc::unauthenticated, std::string(why), "token"); };
  if (token.empty()) return refuse("a join token is required (?token=)");
  if (token.size() > kMaxTokenBytes) return refuse("the join token is too long");
  auto claims = verify_jwt(token, keys, now);
  if (!claims) {
    auto error = claims.error();
    error.field = "token";
    return error;
  }
  auto text = [&](std::string_view name) -> std::string_view {
    auto* v = claims->if_contains(name);
    return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
  };
  if (text("typ") != "join") return refuse("not a join token");
  if (text("sid") != session_id) return refuse("this join token is for another session");
  auto player = text("sub");
  if (player.empty()) return refuse("the join token names no player");
  return std::string(player);
}

}  // namespace webgames
