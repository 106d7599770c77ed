#pragma once
// `webgames loadgen`: simulated players against a Webgames server, through
// its public API only (docs/loadgen.md).
//
//   webgames loadgen --server URL --players N --rate R --duration S --game G --queue Q
//                    [--party-mix 1:8,2:2] [--protocol shifumi|connect]
//                    [--match-timeout-s 30] [--game-timeout-s 120] [--threads 1] [--seed 1]
//
// A progress line on stderr once a second; at the end one JSON object on
// stdout (loadgen/load_stats.h: report_json). Exit status 0 when the run
// ended with no error, 1 when errors were counted (the report says which),
// 2 on bad arguments.

#include <CLI/CLI.hpp>

namespace webgames::loadgen {

// Adds the options to `loadgen`. After parsing, run_loadgen() runs.
void add_loadgen_command(CLI::App& loadgen);
// Runs the load parsed into `loadgen`; returns the exit status.
int run_loadgen();

}  // namespace webgames::loadgen
