#include "http/message.h"

#include <boost/json/serialize.hpp>

#include <stdexcept>

namespace webgames::http {

const std::string& PathParams::operator[](std::string_view name) const {
  for (const auto& [k, v] : items_)
    if (k == name) return v;
  throw std::logic_error("route has no parameter named " + std::string(name));
}

std::vector<QueryPair> query_pairs(std::string_view target) {
  std::vector<QueryPair> pairs;
  auto q = target.find('?');
  auto rest = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    auto pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    pairs.emplace_back(pair.substr(0, eq), eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
  }
  return pairs;
}

std::optional<std::string_view> query_param(std::string_view target, std::string_view name) {
  for (const auto& [key, value] : query_pairs(target))
    if (key == name) return value;
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
