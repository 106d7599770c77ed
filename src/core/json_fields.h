#pragma once
// Reading untrusted JSON objects field by field. Each accessor checks the
// type and bounds and returns an Error that names the field by its full path
// ("server.ports[0].name"), so every handler reports bad input the same way.

#include "core/error.h"

#include <boost/json/value.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace webgames {

// A view of one JSON object at `path` ("" for the document root).
class JsonFields {
 public:
  // Fails with invalid_request when `value` is not an object.
  static Result<JsonFields> of(const boost::json::value& value, std::string path = {});
  // A view must not outlive its value: a temporary would dangle.
  static Result<JsonFields> of(boost::json::value&& value, std::string path = {}) = delete;

  // Fails with invalid_request naming the first key not in `allowed`: a typo
  // in a field name is an error, not a silently ignored setting.
  Result<void> only(std::initializer_list<std::string_view> allowed) const;

  bool has(std::string_view key) const;
  // The path of `key` inside this object, for error messages.
  std::string path_of(std::string_view key) const;

  // Required accessors fail with invalid_request when the key is missing or
  // has another type; optional ones return `fallback` when it is missing.
  Result<std::string> string(std::string_view key, std::size_t max_bytes) const;
  Result<std::string> string_or(std::string_view key, std::size_t max_bytes, std::string fallback) const;
  Result<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max) const;
  Result<std::int64_t> integer_or(std::string_view key, std::int64_t min, std::int64_t max,
                                  std::int64_t fallback) const;
  Result<double> number_or(std::string_view key, double min, double max, double fallback) const;
  Result<const boost::json::array*> array(std::string_view key, std::size_t max_items) const;
  // nullptr when absent; invalid_request when present with another type.
  Result<const boost::json::array*> array_or_null(std::string_view key, std::size_t max_items) const;
  Result<const boost::json::object*> object_or_null(std::string_view key, std::size_t max_items) const;

  const boost::json::object& object() const { return *object_; }
  const std::string& path() const { return path_; }

 private:
  JsonFields(const boost::json::object& o, std::string path) : object_(&o), path_(std::move(path)) {}
  const boost::json::object* object_;
  std::string path_;
};

// A JSON text parsed with limits on depth and size; invalid_request on error
// or for a key given twice in one object (naming its path: core/
// json_duplicate_keys.h), invalid_field (naming its path) for a number beyond
// a double's range.
Result<boost::json::value> parse_json(std::string_view text);

}  // namespace webgames
