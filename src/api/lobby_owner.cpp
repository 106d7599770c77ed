#include "api/lobby_owner.h"

#include "http/error_response.h"
#include "http/upstream.h"

namespace webgames::api {
namespace {

http::Response retry_later(Error error) {
  auto res = http::error_response(error);
  res.set(http::beast_http::field::retry_after, "1");
  return res;
}

}  // namespace

http::Handler owner_only(const LobbyLocator& locate, http::Handler handler, std::chrono::milliseconds timeout) {
  return [&locate, handler = std::move(handler),
          timeout](http::RequestContext& ctx) -> boost::asio::awaitable<http::Response> {
    auto place = locate ? locate() : LobbyPlace{};
    if (place.kind == LobbyPlace::Kind::here) co_return co_await handler(ctx);
    if (place.kind == LobbyPlace::Kind::nowhere)
      co_return retry_later(make_error(Errc::unavailable, "no replica runs the lobby yet: " + place.reason));
    if (ctx.request.count(http::kForwardedHeader))
      co_return retry_later(make_error(Errc::unavailable, "this replica no longer runs the lobby; retry"));
    auto request = ctx.request;  // kept whole for the access log
    request.set("X-Request-Id", ctx.request_id);
    bool safe = request.method() == http::beast_http::verb::get || request.method() == http::beast_http::verb::head;
    auto answer = co_await http::forward(place.address, std::move(request), timeout);
    if (answer) co_return std::move(*answer);
    // A read the owner received and did not answer changed nothing: retry.
    if (answer.error().code == Errc::unavailable || safe)
      co_return retry_later(make_error(Errc::unavailable, answer.error().code == Errc::unavailable
                                                              ? answer.error().message
                                                              : "the lobby's owner stopped before answering; retry"));
    co_return http::error_response(answer.error());
  };
}

}  // namespace webgames::api
