#pragma once
// A demand curve for `webgames simulate`: players arriving per second over
// time, from a CSV of `seconds,players_per_second` rows at any spacing,
// linear in between (docs/pools.md). Before the first row the first rate
// holds; the curve ends at the last row.

#include "core/error.h"

#include <string_view>
#include <vector>

namespace webgames::simulate {

struct DemandLimits {
  static constexpr std::size_t max_rows = 100'000;
  static constexpr double max_seconds = 31.0 * 86'400;  // a month
  static constexpr double max_rate = 10'000;            // players per second
};

class DemandCurve {
 public:
  // invalid_field (field "demand", the message names the line) for a row
  // that is not two numbers, seconds not increasing, a rate out of
  // [0, max_rate], more than max_rows, or no row. A first line that is not
  // numbers is a header and skipped; blank lines and `#` comments too.
  static Result<DemandCurve> parse(std::string_view csv);

  double rate_at(double seconds) const;  // players per second
  double end_s() const { return points_.back().seconds; }
  double max_rate() const;

  struct Point {
    double seconds;
    double rate;
  };
  const std::vector<Point>& points() const { return points_; }

 private:
  std::vector<Point> points_;
};

}  // namespace webgames::simulate
