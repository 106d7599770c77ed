#include "core/json_fields.h"

#include "core/json_duplicate_keys.h"

#include <fmt/format.h>
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>

#include <algorithm>
#include <cmath>

namespace webgames {
namespace {

namespace json = boost::json;

Error wrong_type(const std::string& field, std::string_view expected) {
  return make_error(Errc::invalid_request, fmt::format("{} must be {}", field, expected), field);
}

Error missing(const std::string& field) {
  return make_error(Errc::invalid_request, fmt::format("{} is required", field), field);
}

bool all_finite(const json::value& v) {
  if (v.is_double()) return std::isfinite(v.get_double());
  if (const auto* a = v.if_array()) return std::all_of(a->begin(), a->end(), all_finite);
  if (const auto* o = v.if_object())
    return std::all_of(o->begin(), o->end(), [](const auto& kv) { return all_finite(kv.value()); });
  return true;
}

// The path of the first number of `v` that is not finite (all_finite is false).
std::string path_of_infinite(const json::value& v, const std::string& path) {
  if (const auto* a = v.if_array()) {
    for (std::size_t i = 0; i < a->size(); ++i)
      if (!all_finite((*a)[i])) return path_of_infinite((*a)[i], fmt::format("{}[{}]", path, i));
  } else if (const auto* o = v.if_object()) {
    for (const auto& kv : *o) {
      if (all_finite(kv.value())) continue;
      auto key = std::string_view(kv.key()).substr(0, 64);
      return path_of_infinite(kv.value(), path.empty() ? std::string(key) : fmt::format("{}.{}", path, key));
    }
  }
  return path.empty() ? std::string("body") : path;
}

}  // namespace

Result<JsonFields> JsonFields::of(const json::value& value, std::string path) {
  if (!value.is_object()) return wrong_type(path.empty() ? std::string("body") : path, "an object");
  return JsonFields(value.get_object(), std::move(path));
}

Result<void> JsonFields::only(std::initializer_list<std::string_view> allowed) const {
  for (const auto& kv : *object_) {
    bool known = false;
    for (auto a : allowed) known = known || kv.key() == a;
    if (!known) {
      auto field = path_of(std::string_view(kv.key().data(), std::min<std::size_t>(kv.key().size(), 64)));
      return make_error(Errc::invalid_request, fmt::format("unknown field {}", field), field);
    }
  }
  return {};
}

bool JsonFields::has(std::string_view key) const { return object_->contains(key); }

std::string JsonFields::path_of(std::string_view key) const {
  return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
}

Result<std::string> JsonFields::string(std::string_view key, std::size_t max_bytes) const {
  auto it = object_->find(key);
  if (it == object_->end()) return missing(path_of(key));
  if (!it->value().is_string()) return wrong_type(path_of(key), "a string");
  const auto& s = it->value().get_string();
  if (s.size() > max_bytes)
    return make_error(Errc::invalid_field, fmt::format("{} must be at most {} bytes", path_of(key), max_bytes),
                      path_of(key));
  return std::string(s);
}

Result<std::string> JsonFields::string_or(std::string_view key, std::size_t max_bytes, std::string fallback) const {
  if (!has(key)) return fallback;
  return string(key, max_bytes);
}

Result<std::int64_t> JsonFields::integer(std::string_view key, std::int64_t min, std::int64_t max) const {
  auto it = object_->find(key);
  if (it == object_->end()) return missing(path_of(key));
  const auto& v = it->value();
  auto out_of_range = [&] {
    return make_error(Errc::invalid_field, fmt::format("{} must be between {} and {}", path_of(key), min, max),
                      path_of(key));
  };
  // A whole number too large for 64 bits is an integer out of range, not
  // a value of the wrong type.
  std::int64_t n = 0;
  if (v.is_int64()) {
    n = v.get_int64();
  } else if (v.is_uint64()) {
    if (v.get_uint64() > static_cast<std::uint64_t>(INT64_MAX)) return out_of_range();
    n = static_cast<std::int64_t>(v.get_uint64());
  } else if (v.is_double() && std::isfinite(v.get_double()) && std::trunc(v.get_double()) == v.get_double()) {
    if (std::abs(v.get_double()) >= 9e15) return out_of_range();
    n = static_cast<std::int64_t>(v.get_double());
  } else {
    return wrong_type(path_of(key), "an integer");
  }
  if (n < min || n > max) return out_of_range();
  return n;
}

Result<std::int64_t> JsonFields::integer_or(std::string_view key, std::int64_t min, std::int64_t max,
                                            std::int64_t fallback) const {
  if (!has(key)) return fallback;
  return integer(key, min, max);
}

Result<double> JsonFields::number_or(std::string_view key, double min, double max, double fallback) const {
  auto it = object_->find(key);
  if (it == object_->end()) return fallback;
  const auto& v = it->value();
  if (!v.is_number()) return wrong_type(path_of(key), "a number");
  double d = v.to_number<double>();
  if (!(d >= min && d <= max))
    return make_error(Errc::invalid_field, fmt::format("{} must be between {} and {}", path_of(key), min, max),
                      path_of(key));
  return d;
}

Result<const json::array*> JsonFields::array(std::string_view key, std::size_t max_items) const {
  if (!has(key)) return missing(path_of(key));
  return array_or_null(key, max_items);
}

Result<const json::array*> JsonFields::array_or_null(std::string_view key, std::size_t max_items) const {
  auto it = object_->find(key);
  if (it == object_->end()) return nullptr;
  if (!it->value().is_array()) return wrong_type(path_of(key), "an array");
  if (it->value().get_array().size() > max_items)
    return make_error(Errc::invalid_field, fmt::format("{} may hold at most {} items", path_of(key), max_items),
                      path_of(key));
  return &it->value().get_array();
}

Result<const json::object*> JsonFields::object_or_null(std::string_view key, std::size_t max_items) const {
  auto it = object_->find(key);
  if (it == object_->end()) return nullptr;
  if (!it->value().is_object()) return wrong_type(path_of(key), "an object");
  if (it->value().get_object().size() > max_items)
    return make_error(Errc::invalid_field, fmt::format("{} may hold at most {} entries", path_of(key), max_items),
                      path_of(key));
  return &it->value().get_object();
}

Result<json::value> parse_json(std::string_view text) {
  json::parse_options options;
  options.max_depth = 32;
  boost::system::error_code ec;
  auto value = json::parse(text, ec, {}, options);
  if (ec) return make_error(Errc::invalid_request, fmt::format("body is not valid JSON: {}", ec.message()), "body");
  if (auto key = first_duplicate_key(text))
    return make_error(Errc::invalid_request, fmt::format("{} is given twice", *key), *key);
  // Boost.JSON reads a number beyond a double's range (1e999) as infinity,
  // which no store keeps and no JSON writer writes back: refused here, for
  // every body, rather than lost further on.
  if (!all_finite(value)) {
    auto field = path_of_infinite(value, "");
    return make_error(Errc::invalid_field, fmt::format("{} is a number beyond the range of a double", field), field);
  }
  return value;
}

}  // namespace webgames
