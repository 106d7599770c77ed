#pragma once
// What the harnesses share: a check that aborts (a finding for libFuzzer,
// a failed replay for ctest) when a property the product promises breaks.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <limits>

#define FUZZ_CHECK(cond)                                                                 \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (false)

#include <boost/json/value.hpp>

#include <cmath>

namespace webgames::fuzz {

// Whether two doubles are equal but for the last few bits. Boost.JSON 1.81
// parses numbers fast but not always correctly rounded: a double written out
// (exactly) and read back may come back one unit in the last place away.
inline bool nearly_equal(double a, double b) {
  return a == b || std::abs(a - b) <= 4 * std::numeric_limits<double>::epsilon() * std::max(std::abs(a), std::abs(b));
}

// JSON equality with nearly_equal numbers (see above).
inline bool json_nearly_equal(const boost::json::value& a, const boost::json::value& b) {
  if (a.is_number() && b.is_number() && (a.is_double() || b.is_double()))
    return nearly_equal(a.to_number<double>(), b.to_number<double>());
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const auto &x = a.get_array(), &y = b.get_array();
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (!json_nearly_equal(x[i], y[i])) return false;
    return true;
  }
  if (a.is_object()) {
    const auto &x = a.get_object(), &y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& kv : x) {
      auto* other = y.if_contains(kv.key());
      if (other == nullptr || !json_nearly_equal(kv.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

}  // namespace webgames::fuzz
