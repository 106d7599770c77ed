#include "http/message.h"

#include <boost/json/serialize.hpp>

#include <stdexcept>

namespace webgames::http {

const std::string& PathParams::operator[](std::string_view name) const {
  for (const auto& [k, v] : items_)
    if (k == name) return v;
  throw std::logic_error("route has no parameter named " + std::string(name));
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
