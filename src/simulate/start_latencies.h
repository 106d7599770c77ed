#pragma once
// A runtime's measured cold starts, the distribution `webgames simulate`
// draws from: one latency in milliseconds per line, `#` comments. The
// measured files are written by bench/ttp (TTP_SAVE_LATENCIES=1) into
// bench/ttp/latencies/<runtime>.txt and copied beside the binary by the
// build (build/latencies/).

#include "core/error.h"

#include <filesystem>
#include <string_view>
#include <vector>

namespace webgames::simulate {

struct LatencyLimits {
  static constexpr std::size_t max_samples = 1'000'000;
  static constexpr double max_ms = 600'000;  // ten minutes
};

// invalid_field (field "latencies", the message names the line) for a line
// that is not a number in (0, max_ms], more than max_samples, or none.
Result<std::vector<double>> parse_start_latencies(std::string_view text);

// <folder of the webgames binary>/latencies/<runtime>.txt
std::filesystem::path default_latencies_file(std::string_view runtime);

}  // namespace webgames::simulate
