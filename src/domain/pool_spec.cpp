#include "domain/pool_spec.h"

namespace webgames {

std::string_view to_string(PoolPolicy policy) {
  switch (policy) {
    case PoolPolicy::off:
      return "off";
    case PoolPolicy::buffer:
      return "buffer";
    case PoolPolicy::predictive:
      return "predictive";
  }
  return "off";
}

std::optional<PoolPolicy> parse_pool_policy(std::string_view text) {
  for (auto p : {PoolPolicy::off, PoolPolicy::buffer, PoolPolicy::predictive}) {
    if (text == to_string(p)) return p;
  }
  return std::nullopt;
}

}  // namespace webgames
