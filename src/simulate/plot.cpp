#include "simulate/plot.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace webgames::simulate {
namespace {

constexpr double kWidth = 820, kLeft = 80, kRight = 40;
constexpr double kDemandTop = 50, kDemandHeight = 170;
constexpr double kTradeTop = 300, kTradeHeight = 340;
constexpr double kHeight = 700;

// A round step giving about `count` ticks over `span`.
double tick_step(double span, int count) {
  if (span <= 0) return 1;
  const double raw = span / count;
  const double magnitude = std::pow(10, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * magnitude >= raw) return m * magnitude;
  }
  return 10 * magnitude;
}

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
  return out;
}

struct Axis {
  double min, max, from, to;  // values min..max onto pixels from..to
  double operator()(double v) const { return max == min ? from : from + (v - min) / (max - min) * (to - from); }
};

void ticks(std::string& svg, const Axis& axis, bool horizontal, double at, const std::string& unit) {
  const double step = tick_step(axis.max - axis.min, 6);
  for (double v = std::ceil(axis.min / step) * step; v <= axis.max + step * 1e-9; v += step) {
    const double p = axis(v);
    const auto label = fmt::format("{:g}{}", std::round(v * 1000) / 1000, unit);
    if (horizontal) {
      svg += fmt::format(R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}" class="tick"/>)", p, at, at + 5);
      svg += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>)", p, at + 18, label);
    } else {
      svg += fmt::format(R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{2:.1f}" y2="{1:.1f}" class="tick"/>)", at - 5, p, at);
      svg += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" text-anchor="end">{}</text>)", at - 8, p + 4, label);
    }
  }
}

}  // namespace

std::string plot_svg(const DemandCurve& demand, const std::vector<PlottedPolicy>& policies, const std::string& title) {
  std::string svg =
      fmt::format(R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" role="img" )"
                  R"(aria-label="{}">)",
                  kWidth, kHeight, kWidth, kHeight, escape(title));
  svg +=
      "<style>text{font:12px sans-serif;fill:#222}.title{font-size:15px;font-weight:bold}.tick{stroke:#888}"
      ".frame{fill:none;stroke:#888}.demand{fill:#dbe9f6;stroke:#2b6cb0;stroke-width:1.5}"
      ".buffer{fill:none;stroke:#c05621;stroke-width:1.5}.dot{fill:#c05621}.predictive{fill:#2f855a}</style>";
  svg += fmt::format(R"(<rect width="{}" height="{}" fill="white"/>)", kWidth, kHeight);
  svg += fmt::format(R"(<text x="{}" y="24" class="title">{}</text>)", kLeft, escape(title));

  // The demand, players arriving per second over hours.
  const auto& points = demand.points();
  const double start = points.front().seconds, end = std::max(demand.end_s(), start + 1);
  const double hours = (end - start) / 3600;
  const Axis hx{0, hours, kLeft, kWidth - kRight};
  const Axis ry{0, std::max(demand.max_rate() * 1.1, 0.1), kDemandTop + kDemandHeight, kDemandTop};
  std::string area = fmt::format("M{:.1f},{:.1f}", hx(0), ry(0));
  for (const auto& p : points) area += fmt::format(" L{:.1f},{:.1f}", hx((p.seconds - start) / 3600), ry(p.rate));
  area += fmt::format(" L{:.1f},{:.1f} Z", hx(hours), ry(0));
  svg += fmt::format(R"(<path d="{}" class="demand"/>)", area);
  svg += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" class="frame"/>)", kLeft, kDemandTop,
                     kWidth - kLeft - kRight, kDemandHeight);
  ticks(svg, hx, true, kDemandTop + kDemandHeight, " h");
  ticks(svg, ry, false, kLeft, "");
  svg += fmt::format(R"(<text x="{}" y="{}">demand: players arriving per second</text>)", kLeft + 8, kDemandTop + 16);

  // The trade-off: idle server-seconds over served ones (x), time-to-play p99 (y).
  double max_idle = 0.01, max_ttp = 1;
  for (const auto& p : policies) {
    max_idle = std::max(max_idle, p.result.idle_ratio * 100);
    max_ttp = std::max(max_ttp, p.result.ttp_p99_ms);
  }
  const Axis ix{0, max_idle * 1.1, kLeft, kWidth - kRight};
  const Axis ty{0, max_ttp * 1.1, kTradeTop + kTradeHeight, kTradeTop};
  svg += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" class="frame"/>)", kLeft, kTradeTop,
                     kWidth - kLeft - kRight, kTradeHeight);
  ticks(svg, ix, true, kTradeTop + kTradeHeight, "%");
  ticks(svg, ty, false, kLeft, " ms");
  svg += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle">idle server-seconds / served server-seconds</text>)",
                     (kLeft + kWidth - kRight) / 2, kTradeTop + kTradeHeight + 40);
  svg +=
      fmt::format(R"(<text x="{}" y="{}">time-to-play p99 (match to server ready)</text>)", kLeft + 8, kTradeTop - 10);
  std::string curve;
  for (const auto& p : policies) {
    if (!p.name.starts_with("buffer:")) continue;
    curve += fmt::format("{}{:.1f},{:.1f}", curve.empty() ? "M" : " L", ix(p.result.idle_ratio * 100),
                         ty(p.result.ttp_p99_ms));
  }
  if (!curve.empty()) svg += fmt::format(R"(<path d="{}" class="buffer"/>)", curve);
  for (std::size_t i = 0; i < policies.size(); ++i) {
    const auto& p = policies[i];
    const double x = ix(p.result.idle_ratio * 100), y = ty(p.result.ttp_p99_ms);
    const bool predictive = p.name == "predictive";
    // Neighbours often share a height (a p99 of 0): their labels alternate
    // above, and the predictive policy's goes below.
    const double label_y = predictive ? y + 22 : y - 8 - 14.0 * static_cast<double>(i % 2);
    svg += fmt::format(
        R"(<circle cx="{:.1f}" cy="{:.1f}" r="{}" class="{}"><title>{}: idle {:.2f}%, p99 {:.1f} ms</title></circle>)",
        x, y, predictive ? 6 : 4, predictive ? "predictive" : "dot", escape(p.name), p.result.idle_ratio * 100,
        p.result.ttp_p99_ms);
    svg += fmt::format(R"(<text x="{:.1f}" y="{:.1f}"{}>{}</text>)", x + (predictive ? -10 : 4), label_y,
                       predictive ? R"( style="fill:#2f855a;font-weight:bold")" : "", escape(p.name));
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace webgames::simulate
