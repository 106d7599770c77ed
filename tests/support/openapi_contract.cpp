#include "support/openapi_contract.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <stdexcept>

namespace webgames::testing {

namespace json = boost::json;

namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    out.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string kind_of(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "boolean";
    case json::kind::int64:
    case json::kind::uint64:
      return "integer";
    case json::kind::double_:
      return "number";
    case json::kind::string:
      return "string";
    case json::kind::array:
      return "array";
    case json::kind::object:
      return "object";
  }
  return "?";
}

bool has_type(const json::value& v, const std::string& type) {
  if (type == "number") return v.is_number();
  if (type == "integer") {
    if (v.is_int64() || v.is_uint64()) return true;
    return v.is_double() && std::trunc(v.get_double()) == v.get_double();
  }
  return kind_of(v) == type;
}

double number_of(const json::value& v) { return v.to_number<double>(); }

// A YAML scalar (const, enum entry) equal to a JSON value.
bool scalar_equals(const YAML::Node& scalar, const json::value& v) {
  if (!scalar.IsScalar()) return scalar.IsNull() && v.is_null();
  const auto& text = scalar.Scalar();
  if (v.is_string()) return v.get_string() == text;
  if (v.is_bool()) return (text == "true") == v.get_bool() && (text == "true" || text == "false");
  if (v.is_number()) {
    try {
      return scalar.as<double>() == number_of(v);
    } catch (const YAML::Exception&) {
      return false;
    }
  }
  return v.is_null() && (text == "null" || text == "~");
}

// node[key] when node is a map that holds key, else an undefined node (never
// one of yaml-cpp's invalid nodes, on which every call throws).
YAML::Node child(const YAML::Node& node, const std::string& key) {
  if (node.IsDefined() && node.IsMap())
    for (const auto& kv : node)
      if (kv.first.as<std::string>() == key) return kv.second;
  return YAML::Node(YAML::NodeType::Undefined);
}

std::string member_path(const std::string& path, std::string_view key) { return path + "." + std::string(key); }

}  // namespace

struct OpenApiContract::Impl {
  YAML::Node root;
  struct Route {
    std::string pattern;
    std::vector<std::string> segments;  // "{x}" matches any one segment
    int literals = 0;
  };
  std::vector<Route> routes;
  // yaml-cpp promises nothing about reads from several threads: every
  // public call holds this.
  mutable std::mutex mutex;
  mutable std::map<std::string, std::regex> regexes;
  const YAML::Node& doc() const { return root; }

  // The node a local reference ("#/components/schemas/Session") names.
  YAML::Node lookup(const std::string& ref) const {
    if (!ref.starts_with("#/")) throw std::runtime_error("openapi: only local $ref: " + ref);
    YAML::Node at;
    at.reset(doc());
    for (const auto& part : split_path(ref.substr(1))) {
      const YAML::Node& here = at;
      YAML::Node next = here[part];
      if (!next) throw std::runtime_error("openapi: dangling $ref " + ref);
      at.reset(next);
    }
    return at;
  }

  // A node that is only a $ref, replaced by what it names.
  YAML::Node resolve(const YAML::Node& node) const {
    YAML::Node at;
    at.reset(node);
    for (int depth = 0; depth < 16; ++depth) {
      const YAML::Node& here = at;  // const: yaml-cpp's other operator[] may add the key
      if (!here.IsMap() || here.size() != 1 || !here["$ref"]) break;
      at.reset(lookup(here["$ref"].as<std::string>()));
    }
    return at;
  }

  bool full_match(const std::string& pattern, const std::string& text) const {
    auto it = regexes.find(pattern);
    if (it == regexes.end()) it = regexes.emplace(pattern, std::regex(pattern, std::regex::ECMAScript)).first;
    return std::regex_search(text, it->second);
  }

  // Every property an object schema declares, those of its allOf parts
  // included; `open` when one of them admits other members.
  void declared(const YAML::Node& schema_in, std::set<std::string>& names, bool& open) const {
    const YAML::Node schema = resolve(schema_in);
    if (!schema.IsMap()) return;
    if (auto extra = schema["additionalProperties"]) {
      if (!(extra.IsScalar() && extra.Scalar() == "false")) open = true;
    }
    if (auto props = schema["properties"])
      for (const auto& p : props) names.insert(p.first.as<std::string>());
    if (auto parts = schema["allOf"])
      for (const auto& part : parts) declared(part, names, open);
  }

  // `closed`: members not declared are disagreements (see the header).
  void validate(const YAML::Node& schema_in, const json::value& v, const std::string& path,
                std::vector<std::string>& out, bool closed = true) const {
    const YAML::Node schema = resolve(schema_in);
    if (!schema.IsMap()) return;  // `{}` or `true`: anything
    if (schema["$ref"]) validate(lookup(schema["$ref"].as<std::string>()), v, path, out, closed);
    auto fail = [&](const std::string& what) { out.push_back(path + ": " + what); };

    if (auto type = schema["type"]) {
      std::vector<std::string> types;
      if (type.IsSequence())
        for (const auto& t : type) types.push_back(t.as<std::string>());
      else
        types.push_back(type.as<std::string>());
      if (schema["nullable"] && schema["nullable"].as<bool>()) types.push_back("null");
      if (std::none_of(types.begin(), types.end(), [&](const std::string& t) { return has_type(v, t); })) {
        std::string want;
        for (const auto& t : types) want += (want.empty() ? "" : " or ") + t;
        return fail("is " + kind_of(v) + ", the document says " + want);
      }
    }
    if (auto c = schema["const"]; c && !scalar_equals(c, v))
      fail("is " + json::serialize(v) + ", the document says always " + c.as<std::string>());
    if (auto e = schema["enum"]) {
      bool any = false;
      std::string list;
      for (const auto& item : e) {
        any = any || scalar_equals(item, v);
        list += (list.empty() ? "" : ", ") + (item.IsScalar() ? item.Scalar() : std::string("null"));
      }
      if (!any) fail("is " + json::serialize(v) + ", not one of the documented values (" + list + ")");
    }

    if (v.is_string()) {
      const auto& s = v.get_string();
      if (auto n = schema["minLength"]; n && s.size() < n.as<std::size_t>())
        fail("is shorter than " + n.Scalar() + " bytes");
      if (auto n = schema["maxLength"]; n && s.size() > n.as<std::size_t>())
        fail("is longer than " + n.Scalar() + " bytes");
      if (auto p = schema["pattern"]; p && !full_match(p.as<std::string>(), std::string(s)))
        fail("\"" + std::string(s) + "\" does not match " + p.as<std::string>());
      if (auto f = schema["format"];
          f && f.as<std::string>() == "date-time" &&
          !full_match(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$)", std::string(s)))
        fail("\"" + std::string(s) + "\" is not an RFC 3339 date-time");
    }
    if (v.is_number()) {
      auto x = number_of(v);
      if (auto n = schema["minimum"]; n && x < n.as<double>()) fail(json::serialize(v) + " is below " + n.Scalar());
      if (auto n = schema["maximum"]; n && x > n.as<double>()) fail(json::serialize(v) + " is above " + n.Scalar());
      if (auto f = schema["format"]; f && f.as<std::string>() == "int32" && (x < -2147483648.0 || x > 2147483647.0))
        fail(json::serialize(v) + " does not fit int32");
    }
    if (v.is_array()) {
      const auto& a = v.get_array();
      if (auto n = schema["minItems"]; n && a.size() < n.as<std::size_t>())
        fail("has fewer than " + n.Scalar() + " items");
      if (auto n = schema["maxItems"]; n && a.size() > n.as<std::size_t>())
        fail("has more than " + n.Scalar() + " items");
      if (auto items = schema["items"])
        for (std::size_t i = 0; i < a.size(); ++i) validate(items, a[i], path + "[" + std::to_string(i) + "]", out);
    }
    if (v.is_object()) {
      const auto& o = v.get_object();
      const YAML::Node props = schema["properties"];
      if (auto req = schema["required"])
        for (const auto& r : req)
          if (!o.contains(r.as<std::string>()))
            out.push_back(member_path(path, r.as<std::string>()) + ": missing (required)");
      if (auto n = schema["maxProperties"]; n && o.size() > n.as<std::size_t>())
        fail("has more than " + n.Scalar() + " members");
      if (auto n = schema["minProperties"]; n && o.size() < n.as<std::size_t>())
        fail("has fewer than " + n.Scalar() + " members");
      const YAML::Node names = schema["propertyNames"];
      const YAML::Node extra = schema["additionalProperties"];
      for (const auto& kv : o) {
        std::string key(kv.key());
        if (names) validate(names, json::value(key), member_path(path, key) + " (name)", out);
        if (props && props[key]) {
          validate(props[key], kv.value(), member_path(path, key), out);
        } else if (extra && extra.IsMap()) {
          validate(extra, kv.value(), member_path(path, key), out);
        } else if (extra && extra.IsScalar() && extra.Scalar() == "false") {
          out.push_back(member_path(path, key) + ": not in the schema (additionalProperties: false)");
        } else if (!extra && props && closed && !schema["allOf"]) {
          out.push_back(member_path(path, key) + ": not documented (the schema names no such member)");
        }
      }
    }

    if (auto all = schema["allOf"]) {
      for (const auto& part : all) validate(part, v, path, out, false);
      if (closed && v.is_object()) {
        std::set<std::string> names;
        bool open = false;
        declared(schema, names, open);
        if (!open)
          for (const auto& kv : v.get_object())
            if (!names.contains(std::string(kv.key())))
              out.push_back(member_path(path, kv.key()) + ": not documented (no part of allOf names it)");
      }
    }
    if (auto any = schema["anyOf"]) {
      bool ok = false;
      for (const auto& part : any) {
        std::vector<std::string> problems;
        validate(part, v, path, problems, false);
        ok = ok || problems.empty();
      }
      if (!ok) fail("matches none of the anyOf alternatives");
    }
    if (auto one = schema["oneOf"]) {
      const YAML::Node disc = schema["discriminator"];
      if (disc && disc["mapping"] && v.is_object()) {
        auto property = disc["propertyName"].as<std::string>();
        auto* tag = v.get_object().if_contains(property);
        if (!tag || !tag->is_string()) {
          out.push_back(member_path(path, property) + ": missing (the discriminator)");
        } else if (auto target = disc["mapping"][std::string(tag->get_string())]) {
          validate(lookup(target.as<std::string>()), v, path, out);
        } else {
          out.push_back(member_path(path, property) + ": \"" + std::string(tag->get_string()) +
                        "\" is not one of the documented kinds");
        }
      } else {
        int matches = 0;
        std::vector<std::string> first;
        for (const auto& part : one) {
          std::vector<std::string> problems;
          validate(part, v, path, problems);
          if (problems.empty()) ++matches;
          if (first.empty()) first = problems;
        }
        if (matches != 1)
          fail("matches " + std::to_string(matches) + " of the oneOf alternatives, not exactly one" +
               (first.empty() ? "" : " (first: " + first.front() + ")"));
      }
    }
  }

  const Route* route_of(std::string_view path) const {
    auto segments = split_path(path);
    const Route* best = nullptr;
    for (const auto& r : routes) {
      if (r.segments.size() != segments.size()) continue;
      bool match = true;
      for (std::size_t i = 0; i < segments.size() && match; ++i)
        match = r.segments[i].starts_with('{') ? !segments[i].empty() : r.segments[i] == segments[i];
      if (match && (!best || r.literals > best->literals)) best = &r;
    }
    return best;
  }
};

OpenApiContract::OpenApiContract(const std::string& path) : impl_(std::make_unique<Impl>()) {
  try {
    impl_->root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    throw std::runtime_error("openapi: cannot read " + path + ": " + e.what());
  }
  for (const auto& p : impl_->doc()["paths"]) {
    Impl::Route r;
    r.pattern = p.first.as<std::string>();
    r.segments = split_path(r.pattern);
    for (const auto& s : r.segments) r.literals += s.starts_with('{') ? 0 : 1;
    impl_->routes.push_back(std::move(r));
  }
}

OpenApiContract::~OpenApiContract() = default;

const OpenApiContract& OpenApiContract::document() {
  static const OpenApiContract doc(std::string(WEBGAMES_SOURCE_DIR) + "/docs/api/openapi.yaml");
  return doc;
}

std::vector<std::string> OpenApiContract::check_schema(std::string_view name, const json::value& value) const {
  std::lock_guard lock(impl_->mutex);
  std::vector<std::string> out;
  const YAML::Node schema = impl_->doc()["components"]["schemas"][std::string(name)];
  if (!schema) return {"no schema " + std::string(name) + " in the document"};
  impl_->validate(schema, value, "$", out);
  return out;
}

std::vector<std::string> OpenApiContract::check_event(std::string_view frame) const {
  boost::system::error_code ec;
  auto v = json::parse(frame, ec);
  if (ec) return {"event: not JSON: " + std::string(frame.substr(0, 200))};
  std::string label = "event";
  if (v.is_object())
    if (auto* t = v.get_object().if_contains("type"); t && t->is_string()) label += " " + std::string(t->get_string());
  auto problems = check_schema("Event", v);
  for (auto& p : problems) p = label + ": " + p;
  return problems;
}

std::vector<std::string> OpenApiContract::check_response(std::string_view method, std::string_view target,
                                                         const HttpAnswer& answer) const {
  auto path = target.substr(0, target.find('?'));
  std::string lower(method);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  std::string upper(method);
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  std::lock_guard lock(impl_->mutex);
  const auto* route = impl_->route_of(path);
  std::string label =
      upper + " " + (route ? route->pattern : std::string(path)) + " → " + std::to_string(answer.status);
  std::vector<std::string> out;
  auto fail = [&](const std::string& what) { out.push_back(label + ": " + what); };

  if (answer.request_id.empty()) fail("no X-Request-Id header (every answer carries one)");

  // Which documented response describes this answer. Answers of the HTTP
  // layer (no route, a method the route lacks, a body or headers too large)
  // are documented once, in info.description: their body is an Error.
  // A CORS preflight is the HTTP layer's too, on any path (x-cors).
  if (upper == "OPTIONS" && answer.status == 204) {
    if (!child(impl_->doc(), "x-cors").IsDefined()) fail("a CORS preflight, which the document does not describe");
    if (!answer.body.empty()) fail("a body in a CORS preflight's answer: " + answer.body.substr(0, 200));
    return out;
  }
  YAML::Node op = child(child(child(impl_->doc(), "paths"), route ? route->pattern : ""), lower);
  bool http_layer = !route || !op.IsDefined() || answer.status == 405 || answer.status == 413 || answer.status == 431;
  YAML::Node response = child(child(op, "responses"), std::to_string(answer.status));
  if (response.IsDefined()) response.reset(impl_->resolve(response));
  if (!response.IsDefined()) {
    if (!http_layer) {
      fail("this status is not documented for the route");
      return out;
    }
    if (answer.status < 400) {
      fail("an answer from no documented route");
      return out;
    }
    response.reset(YAML::Load("{content: {application/json: {schema: {$ref: \"#/components/schemas/Error\"}}}}"));
  }

  if (answer.status == 101) return out;  // the upgrade: frames follow (check_event)
  const YAML::Node& answered = response;
  const YAML::Node content = answered["content"];
  if (!content) {
    if (!answer.body.empty()) fail("a body, where the document says there is none: " + answer.body.substr(0, 200));
    return out;
  }
  if (content["application/json"]) {
    if (!answer.content_type.starts_with("application/json"))
      fail("Content-Type \"" + answer.content_type + "\", the document says application/json");
    boost::system::error_code ec;
    auto v = json::parse(answer.body, ec);
    if (ec) {
      fail("the body is not JSON: " + answer.body.substr(0, 200));
      return out;
    }
    std::vector<std::string> problems;
    impl_->validate(content["application/json"]["schema"], v, "$", problems);
    for (const auto& p : problems) fail(p);
    return out;
  }
  // A text answer (/metrics, a session's log): its media type only.
  auto media = content.begin()->first.as<std::string>();
  if (!answer.content_type.starts_with(media))
    fail("Content-Type \"" + answer.content_type + "\", the document says " + media);
  return out;
}

void expect_documented(std::string_view method, std::string_view target, const HttpAnswer& answer) {
  for (const auto& problem : OpenApiContract::document().check_response(method, target, answer))
    ADD_FAILURE() << "the answer disagrees with docs/api/openapi.yaml: " << problem;
}

}  // namespace webgames::testing
