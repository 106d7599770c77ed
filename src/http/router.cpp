#include "http/router.h"

#include <algorithm>
#include <cassert>

namespace webgames::http {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 1;  // skip the leading '/'
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool is_param(std::string_view s) { return s.size() > 2 && s.front() == '{' && s.back() == '}'; }

}  // namespace

void Router::add(Verb method, std::string pattern, Handler handler) {
  assert(!pattern.empty() && pattern.front() == '/');
  Compiled c;
  for (auto s : split_path(pattern)) c.segments.emplace_back(s);
  assert(std::none_of(routes_.begin(), routes_.end(),
                      [&](const Route& r) { return r.method == method && r.pattern == pattern; }));
  routes_.push_back(Route{method, std::move(pattern), std::move(handler), nullptr, routes_.size()});
  compiled_.push_back(std::move(c));
}

void Router::add_websocket(std::string pattern, WebSocketHandler handler) {
  add(Verb::get, std::move(pattern), nullptr);
  routes_.back().websocket = std::move(handler);
}

std::optional<PathParams> Router::match_path(const Compiled& c, std::string_view path) {
  PathParams params;
  std::size_t start = 1;
  for (std::size_t i = 0; i < c.segments.size(); ++i) {
    if (start > path.size()) return std::nullopt;
    auto end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    auto seg = path.substr(start, end - start);
    const auto& want = c.segments[i];
    if (is_param(want)) {
      if (seg.empty()) return std::nullopt;
      params.add(std::string_view(want).substr(1, want.size() - 2), std::string(seg));
    } else if (seg != want) {
      return std::nullopt;
    }
    start = end + 1;
  }
  if (start <= path.size()) return std::nullopt;  // the path has more segments
  return params;
}

Router::Match Router::match(Verb method, std::string_view target) const {
  auto path = target.substr(0, target.find('?'));
  Match result;
  if (path.empty() || path.front() != '/') return result;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    auto params = match_path(compiled_[i], path);
    if (!params) continue;
    if (routes_[i].method == method) {
      result.route = &routes_[i];
      result.params = std::move(*params);
      result.allow.clear();
      return result;
    }
    if (!result.allow.empty()) result.allow += ", ";
    result.allow += std::string(to_string(routes_[i].method));
  }
  return result;
}

}  // namespace webgames::http
