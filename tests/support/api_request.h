#pragma once
// The tests' HTTP client for the API: one request to the webgames on
// 127.0.0.1:port (ctl's client), whose answer is checked against
// docs/api/openapi.yaml. A disagreement fails the running test, naming the
// route, the status and the JSON path (see openapi_contract.h).

#include "core/error.h"
#include "ctl/http_client.h"

#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <cstdint>
#include <string_view>

namespace webgames::testing {

Result<ctl::HttpResult> api_request(std::uint16_t port, boost::beast::http::verb method, std::string_view target,
                                    std::string_view body = {}, std::string_view token = {},
                                    std::chrono::seconds timeout = std::chrono::seconds(10),
                                    const ctl::Headers& headers = {});

}  // namespace webgames::testing
