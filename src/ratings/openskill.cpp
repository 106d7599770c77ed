#include "ratings/openskill.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace webgames {

std::vector<std::vector<Rating>> rate(std::span<const std::vector<Rating>> teams, std::span<const int> ranks,
                                      const OpenSkillOptions& options) {
  assert(teams.size() >= 2 && ranks.size() == teams.size());
  const std::size_t n = teams.size();
  const double beta_sq = options.beta * options.beta;

  // Each team as one Gaussian: the sums of its players' means and variances.
  std::vector<double> team_mu(n, 0.0), team_var(n, 0.0);
  for (std::size_t t = 0; t < n; ++t)
    for (const auto& r : teams[t]) {
      team_mu[t] += r.mu;
      team_var[t] += r.sigma * r.sigma;
    }
  double c_sq = 0;
  for (std::size_t t = 0; t < n; ++t) c_sq += team_var[t] + beta_sq;
  const double c = std::sqrt(c_sq);

  std::vector<double> strength(n);  // exp(mu / c)
  for (std::size_t t = 0; t < n; ++t) strength[t] = std::exp(team_mu[t] / c);
  // For each team q: the total strength of the teams placed at q or below,
  // and how many teams share q's rank.
  std::vector<double> below(n, 0.0);
  std::vector<int> tied(n, 0);
  for (std::size_t q = 0; q < n; ++q)
    for (std::size_t i = 0; i < n; ++i) {
      if (ranks[i] >= ranks[q]) below[q] += strength[i];
      if (ranks[i] == ranks[q]) ++tied[q];
    }

  std::vector<std::vector<Rating>> out(teams.begin(), teams.end());
  for (std::size_t i = 0; i < n; ++i) {
    double omega = 0, delta = 0;
    for (std::size_t q = 0; q < n; ++q) {
      if (ranks[q] > ranks[i]) continue;
      double p = strength[i] / below[q];  // chance that i wins among q's field
      omega += ((i == q ? 1.0 : 0.0) - p) / tied[q];
      delta += p * (1.0 - p) / tied[q];
    }
    const double gamma = std::sqrt(team_var[i]) / c;
    const double team_omega = omega * team_var[i] / c;
    const double team_delta = gamma * delta * team_var[i] / c_sq;
    // Each player moves by their share of the team's variance.
    for (auto& r : out[i]) {
      double share = r.sigma * r.sigma / team_var[i];
      r.mu += share * team_omega;
      r.sigma *= std::sqrt(std::max(1.0 - share * team_delta, options.kappa));
    }
  }
  return out;
}

}  // namespace webgames
