#include "simulate/demand.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace webgames::simulate {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool parse_number(std::string_view text, double& out) {
  text = trim(text);
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size() && std::isfinite(out);
}

Error bad_line(std::size_t line, std::string_view why) {
  return make_error(Errc::invalid_field, fmt::format("demand line {}: {}", line, why), "demand");
}

}  // namespace

Result<DemandCurve> DemandCurve::parse(std::string_view csv) {
  DemandCurve curve;
  std::size_t line_no = 0;
  bool header_allowed = true;
  while (!csv.empty()) {
    auto newline = csv.find('\n');
    auto line = trim(csv.substr(0, newline));
    csv = newline == std::string_view::npos ? std::string_view{} : csv.substr(newline + 1);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    auto comma = line.find(',');
    double seconds = 0, rate = 0;
    if (comma == std::string_view::npos || !parse_number(line.substr(0, comma), seconds) ||
        !parse_number(line.substr(comma + 1), rate)) {
      if (header_allowed) {
        header_allowed = false;
        continue;
      }
      return bad_line(line_no, "expected seconds,players_per_second");
    }
    header_allowed = false;
    if (seconds < 0 || seconds > DemandLimits::max_seconds)
      return bad_line(line_no, fmt::format("seconds must be within 0..{}", DemandLimits::max_seconds));
    if (!curve.points_.empty() && seconds <= curve.points_.back().seconds)
      return bad_line(line_no, "seconds must increase from row to row");
    if (rate < 0 || rate > DemandLimits::max_rate)
      return bad_line(line_no, fmt::format("players_per_second must be within 0..{}", DemandLimits::max_rate));
    if (curve.points_.size() == DemandLimits::max_rows)
      return bad_line(line_no, fmt::format("more than {} rows", DemandLimits::max_rows));
    curve.points_.push_back({seconds, rate});
  }
  if (curve.points_.empty()) return make_error(Errc::invalid_field, "the demand file has no row", "demand");
  return curve;
}

double DemandCurve::rate_at(double seconds) const {
  if (seconds <= points_.front().seconds) return points_.front().rate;
  if (seconds >= points_.back().seconds) return points_.back().rate;
  auto after =
      std::upper_bound(points_.begin(), points_.end(), seconds, [](double s, const Point& p) { return s < p.seconds; });
  const Point& b = *after;
  const Point& a = *(after - 1);
  return a.rate + (b.rate - a.rate) * (seconds - a.seconds) / (b.seconds - a.seconds);
}

double DemandCurve::max_rate() const {
  double m = 0;
  for (const auto& p : points_) m = std::max(m, p.rate);
  return m;
}

}  // namespace webgames::simulate
