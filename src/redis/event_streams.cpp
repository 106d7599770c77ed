#include "redis/event_streams.h"

#include "events/event_bus.h"

#include <fmt/format.h>

namespace webgames::redis {

std::string event_stream_key(std::string_view prefix, std::string_view player) {
  return fmt::format("{}:events:{{{}}}", prefix, player);
}

std::string event_body(std::string_view type, const boost::json::object& data) {
  auto text = event_text(0, type, data);
  return text.substr(std::string_view("{\"id\":0,").size());
}

const char* const kAppendEventLua = R"lua(
local function append_event(key, body, token, maxlen, ttl_ms)
  local newest = redis.call('XREVRANGE', key, '+', '-', 'COUNT', 1)
  local last = 0
  if newest[1] then last = tonumber(string.match(newest[1][1], '^(%d+)')) end
  local now = redis.call('TIME')
  local id = math.max(last + 1, tonumber(now[1]) * 1000000 + tonumber(now[2]))
  local sid = string.format('%d', id)
  local text = '{"id":' .. sid .. ',' .. body
  redis.call('XADD', key, 'MAXLEN', '~', maxlen, sid .. '-0', 'e', text, 'u', token)
  redis.call('PEXPIRE', key, ttl_ms)
  redis.call('PUBLISH', key, text)
  return id
end
)lua";

}  // namespace webgames::redis
