#include "play/shifumi_client.h"

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <memory>
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
  explicit LineConnection(asio::io_context& io) : stream_(io) {}

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

// Runs the connection's operations on `io`, turning their failures into Errors.
class GameLink {
 public:
  GameLink(BlockingIo& io, const GameServer& server)
      : io_(io), server_(server), connection_(std::make_shared<LineConnection>(io.context())) {}
  ~GameLink() { connection_->close(); }

  Result<void> connect() {
    error_code ec;
    tcp::resolver resolver(io_.context());
    auto endpoints = resolver.resolve(server_.host, std::to_string(server_.port), ec);
    if (ec) return failure("cannot resolve", ec);
    return check("cannot connect to", run(connection_->connect(endpoints)));
  }

  Result<void> send(std::string line) { return check("cannot send to", run(connection_->write(std::move(line)))); }

  Result<std::string> receive(std::chrono::seconds timeout) {
    auto ec = run(connection_->read_line(timeout));
    if (ec == asio::error::eof)
      return make_error(Errc::unavailable,
                        fmt::format("the game server {} closed the connection before the game was over", address()));
    if (ec == asio::error::not_found)
      return make_error(Errc::unavailable,
                        fmt::format("the game server {} sent a line longer than {} bytes", address(), kMaxLineBytes));
    if (auto ok = check("lost the connection to", ec); !ok) return ok.error();
    return connection_->take_line();
  }

 private:
  error_code run(asio::awaitable<error_code> task) {
    auto connection = connection_;
    return io_.run(std::move(task), [connection] { connection->close(); });
  }

  Result<void> check(std::string_view what, error_code ec) {
    if (!ec) return {};
    return failure(what, ec);
  }

  Error failure(std::string_view what, error_code ec) {
    if (ec == asio::error::operation_aborted && io_.interrupted()) return make_error(Errc::unavailable, "interrupted");
    if (ec == beast::error::timeout)
      return make_error(Errc::unavailable,
                        fmt::format("{} the game server {}: it did not answer in time", what, address()));
    return make_error(Errc::unavailable, fmt::format("{} the game server {}: {}", what, address(), ec.message()));
  }

  std::string address() const { return fmt::format("{}:{}", server_.host, server_.port); }

  BlockingIo& io_;
  const GameServer& server_;
  std::shared_ptr<LineConnection> connection_;
};

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

Result<Outcome> play_shifumi(BlockingIo& io, const GameServer& server, MoveSource& moves, std::ostream& out,
                             std::chrono::seconds silence_limit) {
  GameLink link(io, server);
  if (auto ok = link.connect(); !ok) return ok.error();
  if (auto ok = link.send(join_line(server.join_token)); !ok) return ok.error();

  std::string me;
  for (;;) {
    auto line = link.receive(silence_limit);
    if (!line) return line.error();
    auto message = parse_server_message(*line);
    if (!message)
      return make_error(Errc::unavailable, fmt::format("the game server sent something unexpected ({}): {}",
                                                       message.error().message, line->substr(0, 200)));

    if (const auto* welcome = std::get_if<Welcome>(&*message)) {
      me = welcome->player;
      out << "joined the game as " << (welcome->name.empty() ? me : welcome->name);
      if (!welcome->opponent.empty()) out << " against " << welcome->opponent;
      out << std::endl;
    } else if (const auto* round = std::get_if<RoundStarted>(&*message)) {
      auto move = moves.next_move(round->round);
      if (!move) return move.error();
      out << "round " << round->round << ": you play " << to_string(*move) << std::endl;
      if (auto ok = link.send(move_line(*move)); !ok) return ok.error();
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
      return outcome;
    } else if (const auto* error = std::get_if<ServerError>(&*message)) {
      auto what = error->code.empty() ? error->reason : fmt::format("{}: {}", error->code, error->reason);
      if (me.empty())
        return make_error(Errc::forbidden, fmt::format("the game server {}:{} refused to let us join ({})", server.host,
                                                       server.port, what));
      out << "the game server complains: " << what << std::endl;
    }
  }
}

}  // namespace webgames::play
