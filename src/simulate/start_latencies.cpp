#include "simulate/start_latencies.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace webgames::simulate {

Result<std::vector<double>> parse_start_latencies(std::string_view text) {
  std::vector<double> samples;
  std::size_t line_no = 0;
  while (!text.empty()) {
    auto newline = text.find('\n');
    auto line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    ++line_no;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    double ms = 0;
    auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), ms);
    if (ec != std::errc{} || end != line.data() + line.size() || !std::isfinite(ms) || ms <= 0 ||
        ms > LatencyLimits::max_ms)
      return make_error(
          Errc::invalid_field,
          fmt::format("latencies line {}: expected milliseconds in (0, {}]", line_no, LatencyLimits::max_ms),
          "latencies");
    if (samples.size() == LatencyLimits::max_samples)
      return make_error(Errc::invalid_field, fmt::format("more than {} latencies", LatencyLimits::max_samples),
                        "latencies");
    samples.push_back(ms);
  }
  if (samples.empty()) return make_error(Errc::invalid_field, "the latencies file has no sample", "latencies");
  return samples;
}

std::filesystem::path default_latencies_file(std::string_view runtime) {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  auto dir = ec ? std::filesystem::path("latencies") : exe.parent_path() / "latencies";
  return dir / fmt::format("{}.txt", runtime);
}

}  // namespace webgames::simulate
