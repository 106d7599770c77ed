#pragma once
// The players' event streams in Redis, as every writer lays them out: the
// RedisEventBus publishing an event on its own, and the scripts that append
// events in the same atomic step as the change they tell of (the lobby's
// writes, redis/redis_lobby_store.h).
//
// One stream per player, <prefix>:events:{<player>}, also the channel its
// entries are PUBLISHed on. An entry: field `e`, the event's text
// ({"id":n,"type":…,"data":…}), and `u`, its writer's token (a retried
// write finds what its first try appended). Ids increase per player:
// max(last id + 1, Redis's clock in microseconds), so they keep increasing
// after the stream expired and was made again.

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace webgames::redis {

std::string event_stream_key(std::string_view prefix, std::string_view player);

// The event's text after its id: `"type":…,"data":…}`, which the script
// completes with the id it gives.
std::string event_body(std::string_view type, const boost::json::object& data);

// Lua text defining `local function append_event(key, body, token, maxlen,
// ttl_ms)`: appends (XADD … MAXLEN ~ maxlen), makes the stream expire
// ttl_ms after this event, publishes the text, and returns its id. Prefix
// a script with it.
extern const char* const kAppendEventLua;

}  // namespace webgames::redis
