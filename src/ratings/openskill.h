#pragma once
// Rating updates with the Weng-Lin Bayesian approximation under the
// Plackett-Luce model (Weng & Lin, "A Bayesian Approximation Method for
// Online Ranking", JMLR 12, 2011, Algorithm 4), the model OpenSkill uses.
// It rates teams of any size and any number of teams, ties included. Pure.

#include "domain/rating.h"

#include <span>
#include <vector>

namespace webgames {

struct OpenSkillOptions {
  double beta = Rating::initial_sigma / 2.0;  // performance noise. Default: 25/6
  double kappa = 0.0001;                      // floor on the σ shrink factor, keeps σ positive
};

// `teams[t]` are the ratings of team t's players; `ranks[t]` its place
// (1 is first; equal ranks are ties). Returns the updated ratings in the
// same shape. Precondition: at least two teams, none empty, ranks.size() == teams.size().
std::vector<std::vector<Rating>> rate(std::span<const std::vector<Rating>> teams, std::span<const int> ranks,
                                      const OpenSkillOptions& options = {});

}  // namespace webgames
