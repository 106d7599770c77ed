#pragma once
// A blocking TCP client for line protocols of JSON objects (Shifumi's): one
// object per line each way, every read bounded by a timeout.

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>

namespace webgames::testing {

class JsonLinesClient {
 public:
  JsonLinesClient(const std::string& host, std::uint16_t port,
                  std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket failed");
    timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) throw std::runtime_error("bad host " + host);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      int err = errno;
      ::close(fd_);
      throw std::runtime_error("cannot connect to " + host + ":" + std::to_string(port) + ": " + std::strerror(err));
    }
  }
  ~JsonLinesClient() { close(); }
  JsonLinesClient(const JsonLinesClient&) = delete;
  JsonLinesClient& operator=(const JsonLinesClient&) = delete;

  bool send(const boost::json::object& message) { return send_line(boost::json::serialize(message)); }
  bool send_line(std::string line) {
    line += '\n';
    std::size_t sent = 0;
    while (sent < line.size()) {
      auto n = ::send(fd_, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }

  // The next line, without its end; empty on timeout or once the peer closed
  // (see eof()).
  std::optional<std::string> read_line() {
    for (;;) {
      auto nl = buffer_.find('\n');
      if (nl != std::string::npos) {
        auto line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return line;
      }
      if (eof_) return std::nullopt;
      char chunk[4096];
      auto n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        eof_ = true;
        continue;
      }
      if (n < 0) return std::nullopt;  // timed out
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  // The next line as a JSON object; empty on timeout, close, or a line that
  // is not an object.
  std::optional<boost::json::object> read() {
    auto line = read_line();
    if (!line) return std::nullopt;
    boost::system::error_code ec;
    auto v = boost::json::parse(*line, ec);
    if (ec || !v.is_object()) return std::nullopt;
    return v.get_object();
  }

  // Reads (and drops) lines until the peer closes; false on timeout.
  bool wait_eof() {
    while (!eof_)
      if (!read_line() && !eof_) return false;
    return true;
  }

  bool eof() const { return eof_; }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
  std::string buffer_;
  bool eof_ = false;
};

// message["type"] as a string, or "".
inline std::string type_of(const boost::json::object& message) {
  auto* t = message.if_contains("type");
  return t && t->is_string() ? std::string(t->get_string()) : std::string();
}

}  // namespace webgames::testing
