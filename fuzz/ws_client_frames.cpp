// WebSocket frames from the server as `webgames play` reads them: Beast's
// client-side frame reader with the events client's limit (one message at
// most play::kMaxEventBytes), each message parsed by play::parse_event, as
// EventsClient::next() does. The input is the raw bytes the server sends
// right after its answer to the upgrade. Promised: every message is an event or an Error, never
// a crash; a message over the limit is refused by the reader.

#include "fuzz_check.h"
#include "play/event.h"
#include "ws_end.h"

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <cstdint>
#include <functional>

using namespace webgames;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static boost::asio::io_context ioc;
  {
    fuzz::WsEnd client(ioc);
    auto& ws = client.ws;
    ws.read_message_max(play::kMaxEventBytes);
    if (!client.handshake_then(ioc, std::string_view(reinterpret_cast<const char*>(data), size))) std::abort();
    boost::beast::flat_buffer buffer;
    std::function<void()> read_one = [&] {
      ws.async_read(buffer, [&](boost::beast::error_code ec, std::size_t) {
        if (ec) return;
        auto text = boost::beast::buffers_to_string(buffer.data());
        buffer.consume(buffer.size());
        FUZZ_CHECK(text.size() <= play::kMaxEventBytes);
        if (auto event = play::parse_event(text)) FUZZ_CHECK(event->id >= 0 && !event->type.empty());
        read_one();
      });
    };
    read_one();
    fuzz::drain(ioc);
  }
  fuzz::drain(ioc);  // what the streams' destruction cancelled
  return 0;
}
