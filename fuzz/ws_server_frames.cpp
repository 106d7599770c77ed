// WebSocket frames from a player as the server reads them on /v1/events
// (api/event_routes.cpp): Beast's server-side frame reader with the route's
// options (suggested server timeouts, one message at most 4096 bytes), reading
// to notice the client leaving and to answer pings and closes, while an
// event is being written. The input is the raw bytes the client sends after
// the upgrade. Promised: no crash, no hang, nothing kept beyond the limit.

#include "fuzz_check.h"
#include "ws_end.h"

#include <boost/beast/core/flat_buffer.hpp>

#include <cstdint>
#include <functional>
#include <string>

using namespace webgames;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static boost::asio::io_context ioc;
  {
    fuzz::WsEnd server(ioc);
    auto& ws = server.ws;
    ws.set_option(fuzz::websocket::stream_base::timeout::suggested(boost::beast::role_type::server));
    ws.read_message_max(4096);
    if (!server.accept(ioc)) std::abort();
    fuzz::send_raw_and_close(server.peer, std::string_view(reinterpret_cast<const char*>(data), size));
    static const std::string event = R"({"id":1,"type":"ticket.queued","data":{"ticket_id":"tkt_1"}})";
    ws.text(true);
    ws.async_write(boost::asio::buffer(event), [](boost::beast::error_code, std::size_t) {});
    boost::beast::flat_buffer buffer;
    std::function<void()> read_one = [&] {
      ws.async_read(buffer, [&](boost::beast::error_code ec, std::size_t) {
        if (ec) return;
        FUZZ_CHECK(buffer.size() <= 4096);
        buffer.clear();
        read_one();
      });
    };
    read_one();
    fuzz::drain(ioc);
  }
  fuzz::drain(ioc);
  return 0;
}
