#pragma once
// The JSON form of a queue's rules, the "rules" object of a queue in a game
// spec (docs/matchmaking.md).

#include "core/error.h"
#include "domain/queue_rules.h"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>

namespace webgames {

// Reads the object at `path` ("queues[0].rules"); type errors and unknown
// fields name the field. Does not apply validate_queue_rules; call it next.
Result<QueueRules> queue_rules_from_json(const boost::json::value& value, const std::string& path);

// Every field, defaults filled in: what a read returns.
boost::json::object queue_rules_to_json(const QueueRules& rules);

}  // namespace webgames
