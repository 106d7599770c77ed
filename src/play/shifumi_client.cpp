#include "play/shifumi_client.h"

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <memory>
#include <optional>
#include <ostream>

namespace webgames::play {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using boost::system::error_code;

constexpr std::chrono::seconds kConnectTimeout{10};
constexpr std::chrono::seconds kWriteTimeout{10};

// One TCP connection carrying newline-terminated lines, each at most kMaxLineBytes.
class LineConnection : public std::enable_shared_from_this<LineConnection> {
 public:
  explicit LineConnection(asio::any_io_executor executor) : stream_(std::move(executor)) {}

  asio::awaitable<error_code> connect(tcp::resolver::results_type endpoints) {
    auto self = shared_from_this();
    stream_.expires_after(kConnectTimeout);
    auto [ec, endpoint] = co_await stream_.async_connect(endpoints, asio::as_tuple(asio::use_awaitable));
    // A move is one small write that should leave at once, not wait for an ACK.
    if (!ec) stream_.socket().set_option(tcp::no_delay(true), ec);
    co_return ec;
  }

  asio::awaitable<error_code> write(std::string line) {
    auto self = shared_from_this();
    stream_.expires_after(kWriteTimeout);
    auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(line), asio::as_tuple(asio::use_awaitable));
    co_return ec;
  }

  // Reads through the next '\n' into the buffer; line() then returns it.
  asio::awaitable<error_code> read_line(std::chrono::seconds timeout) {
    auto self = shared_from_this();
    stream_.expires_after(timeout);
    auto [ec, n] = co_await asio::async_read_until(stream_, asio::dynamic_buffer(buffer_, kMaxLineBytes + 1), '\n',
                                                   asio::as_tuple(asio::use_awaitable));
    line_length_ = n;
    co_return ec;
  }

  // The line read last, without its newline; consumed.
  std::string take_line() {
    std::string line = buffer_.substr(0, line_length_ > 0 ? line_length_ - 1 : 0);
    buffer_.erase(0, line_length_);
    line_length_ = 0;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }

  void close() { stream_.close(); }

 private:
  beast::tcp_stream stream_;
  std::string buffer_;
  std::size_t line_length_ = 0;
};

// Turns the connection's failures into Errors naming the server.
Error failure(std::string_view what, const std::string& address, error_code ec) {
  if (ec == beast::error::timeout)
    return make_error(Errc::unavailable,
                      fmt::format("{} the game server {}: it did not answer in time", what, address));
  return make_error(Errc::unavailable, fmt::format("{} the game server {}: {}", what, address, ec.message()));
}

// How one round went, for the player.
std::string describe(const RoundResult& r, const std::string& me) {
  std::string mine = "?";
  std::string theirs = "?";
  for (const auto& [player, move] : r.moves) (player == me ? mine : theirs) = move;
  std::string verdict = !r.winner ? "a tie" : *r.winner == me ? "you win the round" : "you lose the round";
  return fmt::format("round {}: you {}, opponent {}: {} (score {})", r.round, mine, theirs, verdict,
                     score_line(r.score, me));
}

}  // namespace

class ShifumiGame::Link {
 public:
  explicit Link(asio::any_io_executor executor) : connection(std::make_shared<LineConnection>(std::move(executor))) {}
  std::shared_ptr<LineConnection> connection;
};

ShifumiGame::ShifumiGame(asio::any_io_executor executor) : link_(std::make_unique<Link>(std::move(executor))) {}

ShifumiGame::~ShifumiGame() { abort(); }

void ShifumiGame::abort() { link_->connection->close(); }

asio::awaitable<Result<Outcome>> ShifumiGame::play(const GameServer& server, MoveSource& moves, std::ostream& out,
                                                   std::chrono::seconds silence_limit,
                                                   const std::function<void()>& connected) {
  auto self = shared_from_this();
  auto connection = link_->connection;
  auto address = fmt::format("{}:{}", server.host, server.port);
  constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

  tcp::resolver resolver(co_await asio::this_coro::executor);
  auto port = std::to_string(server.port);
  auto [resolve_ec, endpoints] = co_await resolver.async_resolve(server.host, port, kNoThrow);
  if (resolve_ec) co_return failure("cannot resolve", address, resolve_ec);
  if (auto ec = co_await connection->connect(endpoints)) co_return failure("cannot connect to", address, ec);
  if (connected) connected();
  auto join = join_line(server.join_token);
  if (auto ec = co_await connection->write(std::move(join))) co_return failure("cannot send to", address, ec);

  std::string me;
  for (;;) {
    auto ec = co_await connection->read_line(silence_limit);
    if (ec == asio::error::eof)
      co_return make_error(Errc::unavailable,
                           fmt::format("the game server {} closed the connection before the game was over", address));
    if (ec == asio::error::not_found)
      co_return make_error(Errc::unavailable,
                           fmt::format("the game server {} sent a line longer than {} bytes", address, kMaxLineBytes));
    if (ec) co_return failure("lost the connection to", address, ec);
    auto line = connection->take_line();
    auto message = parse_server_message(line);
    if (!message)
      co_return make_error(Errc::unavailable, fmt::format("the game server sent something unexpected ({}): {}",
                                                          message.error().message, line.substr(0, 200)));

    if (const auto* welcome = std::get_if<Welcome>(&*message)) {
      me = welcome->player;
      out << "joined the game as " << (welcome->name.empty() ? me : welcome->name);
      if (!welcome->opponent.empty()) out << " against " << welcome->opponent;
      out << std::endl;
    } else if (const auto* round = std::get_if<RoundStarted>(&*message)) {
      auto move = moves.next_move(round->round);
      if (!move) co_return move.error();
      out << "round " << round->round << ": you play " << to_string(*move) << std::endl;
      auto line_out = move_line(*move);
      if (auto write_ec = co_await connection->write(std::move(line_out)))
        co_return failure("cannot send to", address, write_ec);
    } else if (const auto* result = std::get_if<RoundResult>(&*message)) {
      out << describe(*result, me) << std::endl;
    } else if (const auto* over = std::get_if<GameOver>(&*message)) {
      auto outcome = outcome_for(over->winner, me);
      out << "game over: "
          << (outcome == Outcome::draw  ? "a draw"
              : outcome == Outcome::win ? "you win"
                                        : "you lose")
          << " " << score_line(over->score, me);
      if (!over->reason.empty() && over->reason != "score") out << " (" << over->reason << ")";
      out << std::endl;
      co_return outcome;
    } else if (const auto* error = std::get_if<ServerError>(&*message)) {
      auto what = error->code.empty() ? error->reason : fmt::format("{}: {}", error->code, error->reason);
      if (me.empty())
        co_return make_error(Errc::forbidden,
                             fmt::format("the game server {} refused to let us join ({})", address, what));
      out << "the game server complains: " << what << std::endl;
    }
  }
}

namespace {

asio::awaitable<error_code> play_into(std::shared_ptr<ShifumiGame> game, GameServer server, MoveSource& moves,
                                      std::ostream& out, std::chrono::seconds silence_limit,
                                      std::optional<Result<Outcome>>& result) {
  result = co_await game->play(server, moves, out, silence_limit);
  co_return error_code{};
}

}  // namespace

Result<Outcome> play_shifumi(BlockingIo& io, const GameServer& server, MoveSource& moves, std::ostream& out,
                             std::chrono::seconds silence_limit) {
  auto game = std::make_shared<ShifumiGame>(io.context().get_executor());
  std::optional<Result<Outcome>> result;
  auto ec = io.run(play_into(game, server, moves, out, silence_limit, result), [game] { game->abort(); });
  if (ec == asio::error::operation_aborted && io.interrupted()) return make_error(Errc::unavailable, "interrupted");
  if (!result) return make_error(Errc::unavailable, "the game was cut short");
  return std::move(*result);
}

}  // namespace webgames::play
