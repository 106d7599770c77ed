#pragma once
// `webgames simulate`: the warm pool's trade-off on a demand curve, before
// paying for it (docs/pools.md).
//
//   webgames simulate --demand FILE [--runtime process|docker|oci | --latencies FILE]
//                     [--policy off|buffer:N|predictive] [--players-per-match 2] [--session-s 120]
//                     [--max-starts-per-s 0] [--seed 1] [--plot FILE.svg] ...
//
// One JSON line on stdout: {"served_server_s":…,"idle_server_s":…,"idle_ratio":…,
// "ttp_p50_ms":…,"ttp_p99_ms":…,"cold_starts":…,"peak_servers":…, …}.
// With --plot, the curve of buffer:0…N and the predictive policy (idle
// ratio against time-to-play p99) under the demand curve, as SVG.
// Exit status 0, or 2 on bad arguments or input.

#include <CLI/CLI.hpp>

namespace webgames::simulate {

void add_simulate_command(CLI::App& simulate);
int run_simulate();

}  // namespace webgames::simulate
