#pragma once
// A queue's breakdown (matchmaker/queue_breakdown.h) as the `breakdown` of
// GET /v1/games/{game}/queues/{queue}/stats (docs/api/openapi.yaml,
// QueueBreakdown): durations in milliseconds, a rule without steps as null.

#include "matchmaker/queue_breakdown.h"

#include <boost/json/object.hpp>

namespace webgames::api {

boost::json::object queue_breakdown_json(const QueueBreakdown& breakdown);

}  // namespace webgames::api
