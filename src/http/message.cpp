#include "http/message.h"

#include <boost/json/serialize.hpp>

#include <stdexcept>

namespace webgames::http {

const std::string& PathParams::operator[](std::string_view name) const {
  for (const auto& [k, v] : items_)
    if (k == name) return v;
  throw std::logic_error("route has no parameter named " + std::string(name));
}

std::optional<std::string_view> query_param(std::string_view target, std::string_view name) {
  auto q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  auto query = target.substr(q + 1);
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) return eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

Response json_response(Status status, const boost::json::value& body) {
  Response res{status, 11};
  res.set(beast_http::field::content_type, "application/json");
  res.body() = boost::json::serialize(body);
  return res;
}

Response json_text_response(Status status, std::string body) {
  Response res{status, 11};
  res.set(beast_http::field::content_type, "application/json");
  res.body() = std::move(body);
  return res;
}

Response no_content() { return Response{Status::no_content, 11}; }

}  // namespace webgames::http
