#pragma once
// docs/api/openapi.yaml as a contract the tests hold the server to: every
// answer of the HTTP API checked against the schema of its route and status,
// every event of /v1/events against the `Event` schema.
//
// The validator covers the subset of JSON Schema (2020-12, as OpenAPI 3.1
// uses it) that the document uses: type (one or several, "null" included),
// nullable, const, enum, properties, required, additionalProperties,
// propertyNames, min/maxProperties, items, min/maxItems, minimum, maximum,
// min/maxLength (in bytes, as the document counts them), pattern (ECMAScript),
// format (date-time, int32, int64), $ref (local), allOf, anyOf, oneOf (with a
// discriminator's mapping when there is one). Other keywords are ignored.
//
// One rule is stricter than JSON Schema: in what the server sends, an object
// schema with `properties` and no `additionalProperties` is closed. A member
// the document does not name is a disagreement, so that a field added to an
// answer without its documentation fails the tests. Schemas open to any
// member say `additionalProperties: true`.
//
// Thread safety: const methods may be called from any thread at once.

#include <boost/json/value.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace webgames::testing {

struct HttpAnswer {
  unsigned status = 0;
  std::string content_type;  // "" when absent
  std::string request_id;    // X-Request-Id, "" when absent
  std::string body;
};

class OpenApiContract {
 public:
  // Loads and indexes the document; throws std::runtime_error when it cannot.
  explicit OpenApiContract(const std::string& path);
  ~OpenApiContract();
  OpenApiContract(const OpenApiContract&) = delete;
  OpenApiContract& operator=(const OpenApiContract&) = delete;

  // WEBGAMES_SOURCE_DIR/docs/api/openapi.yaml, loaded once per process.
  static const OpenApiContract& document();

  // The disagreements between an answer and the document, each one line
  // naming the route, the status and the JSON path ("POST /v1/games → 201:
  // $.server.network: not in the schema"); empty when they agree. `target`
  // is the request target as sent (a query string is ignored).
  std::vector<std::string> check_response(std::string_view method, std::string_view target,
                                          const HttpAnswer& answer) const;

  // The disagreements between one frame of /v1/events and the `Event` schema.
  std::vector<std::string> check_event(std::string_view frame) const;

  // `value` against components/schemas/<name> (closed as above); each
  // disagreement as "$.path: what".
  std::vector<std::string> check_schema(std::string_view name, const boost::json::value& value) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reports every disagreement of the answer as a test failure (ADD_FAILURE).
void expect_documented(std::string_view method, std::string_view target, const HttpAnswer& answer);

}  // namespace webgames::testing
