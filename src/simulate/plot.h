#pragma once
// The SVG drawing of `webgames simulate --plot`: the demand curve on top,
// and below it each policy's point of idle ratio (x) against time-to-play
// p99 (y), the buffer sizes joined as a curve, the predictive policy marked.

#include "simulate/demand.h"
#include "simulate/simulation.h"

#include <string>
#include <vector>

namespace webgames::simulate {

struct PlottedPolicy {
  std::string name;  // "buffer:3", "predictive"
  SimulationResult result;
};

std::string plot_svg(const DemandCurve& demand, const std::vector<PlottedPolicy>& policies, const std::string& title);

}  // namespace webgames::simulate
