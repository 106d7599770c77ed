#include "support/api_request.h"

#include "support/openapi_contract.h"

#include <string>

namespace webgames::testing {

Result<ctl::HttpResult> api_request(std::uint16_t port, boost::beast::http::verb method, std::string_view target,
                                    std::string_view body, std::string_view token, std::chrono::seconds timeout,
                                    const ctl::Headers& headers) {
  ctl::Endpoint server{"127.0.0.1", std::to_string(port)};
  auto r = ctl::http_request(server, method, target, body, token, timeout, headers);
  if (r) expect_documented(to_string(method), target, {r->status, r->content_type, r->request_id, r->body});
  return r;
}

}  // namespace webgames::testing
