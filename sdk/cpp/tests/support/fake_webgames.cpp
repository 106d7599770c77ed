#include "fake_webgames.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>

namespace webgames::sdk::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;

// The I/O half, on its own io_context and thread. Coroutines are member
// functions, not lambdas: a lambda's captures would die before they resume.
struct FakeWebgames::Server {
  FakeWebgames* owner;
  asio::io_context io;
  tcp::acceptor acceptor{io, {asio::ip::make_address("127.0.0.1"), 0}};

  asio::awaitable<void> accept() {
    for (;;) {
      auto socket = co_await acceptor.async_accept(asio::use_awaitable);
      asio::co_spawn(io, serve(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> serve(tcp::socket socket) {
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> request;
    boost::system::error_code ec;
    co_await http::async_read(socket, buffer, request, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    auto script = owner->record(RecordedRequest{std::string(request.method_string()), std::string(request.target()),
                                                std::string(request[http::field::authorization]),
                                                std::string(request[http::field::content_type]), request.body()});
    if (script.status == 0) {  // hold the connection, answer nothing
      asio::steady_timer forever(io, asio::steady_timer::time_point::max());
      co_await forever.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      co_return;
    }
    http::response<http::string_body> response{static_cast<http::status>(script.status), 11};
    if (!script.body.empty()) response.set(http::field::content_type, "application/json");
    response.body() = script.body;
    response.keep_alive(false);
    response.prepare_payload();
    co_await http::async_write(socket, response, asio::redirect_error(asio::use_awaitable, ec));
  }
};

FakeWebgames::FakeWebgames() : server_(std::make_unique<Server>(this)) {
  asio::co_spawn(server_->io, server_->accept(), asio::detached);
  thread_ = std::thread([this] { server_->io.run(); });
}

FakeWebgames::~FakeWebgames() {
  server_->io.stop();
  thread_.join();
}

std::string FakeWebgames::url() const {
  return "http://127.0.0.1:" + std::to_string(server_->acceptor.local_endpoint().port());
}

void FakeWebgames::answer_next(std::string suffix, int status, std::string body, int times) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < times; ++i) scripts_.push_back(Script{suffix, status, body});
}

FakeWebgames::Script FakeWebgames::record(RecordedRequest request) {
  std::lock_guard lock(mutex_);
  Script answer{"", 204, ""};
  auto it = std::find_if(scripts_.begin(), scripts_.end(),
                         [&](const Script& s) { return request.target.ends_with(s.suffix); });
  if (it != scripts_.end()) {
    answer = *it;
    scripts_.erase(it);
  }
  requests_.push_back(std::move(request));
  changed_.notify_all();
  return answer;
}

std::vector<RecordedRequest> FakeWebgames::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::vector<RecordedRequest> FakeWebgames::requests_to(std::string_view suffix) const {
  std::lock_guard lock(mutex_);
  std::vector<RecordedRequest> out;
  for (const auto& r : requests_)
    if (r.target.ends_with(suffix)) out.push_back(r);
  return out;
}

bool FakeWebgames::wait_for(std::string_view suffix, std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    return static_cast<std::size_t>(std::count_if(requests_.begin(), requests_.end(), [&](const RecordedRequest& r) {
             return r.target.ends_with(suffix);
           })) >= count;
  });
}

}  // namespace webgames::sdk::testing
