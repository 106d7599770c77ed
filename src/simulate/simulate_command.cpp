#include "simulate/simulate_command.h"

#include "simulate/demand.h"
#include "simulate/plot.h"
#include "simulate/simulation.h"
#include "simulate/start_latencies.h"

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

namespace webgames::simulate {
namespace {

struct Options {
  std::string demand_file;
  std::string runtime = "docker";
  std::string latencies_file;  // overrides the runtime's
  std::string policy = "predictive";
  int players_per_match = 2;
  double session_s = 120;
  double max_starts_per_s = 0;
  std::uint64_t seed = 1;
  std::string plot_file;
  int plot_buffers = 10;
  PoolSpec pool;  // the predictive policy's parameters and the bounds
};

Options& options() {
  static Options o;
  return o;
}

constexpr std::size_t kMaxFileBytes = 16 << 20;

Result<std::string> read_file(const std::string& path, std::string_view field) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::invalid_field, fmt::format("cannot read {}", path), std::string(field));
  std::string text(kMaxFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxFileBytes)
    return make_error(Errc::invalid_field, fmt::format("{} is larger than {} bytes", path, kMaxFileBytes),
                      std::string(field));
  return text;
}

// "off", "predictive" or "buffer:N".
Result<PoolSpec> parse_policy(std::string_view text, PoolSpec spec) {
  if (text.starts_with("buffer:")) {
    auto n = text.substr(7);
    int size = -1;
    auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), size);
    if (ec != std::errc{} || end != n.data() + n.size() || size < 0 || size > PoolLimits::max_ready)
      return make_error(Errc::invalid_field, fmt::format("buffer:N needs N in 0..{}", PoolLimits::max_ready), "policy");
    spec.policy = PoolPolicy::buffer;
    spec.buffer = size;
    spec.max_ready = std::max(spec.max_ready, size);
    return spec;
  }
  auto policy = parse_pool_policy(text);
  if (!policy || *policy == PoolPolicy::buffer)
    return make_error(Errc::invalid_field, "the policy is off, buffer:N or predictive", "policy");
  spec.policy = *policy;
  return spec;
}

std::string result_json(const std::string& policy, const SimulationResult& r, double elapsed_s) {
  return fmt::format(
      R"({{"served_server_s":{:.1f},"idle_server_s":{:.1f},"idle_ratio":{:.4f},"ttp_p50_ms":{:.1f},)"
      R"("ttp_p99_ms":{:.1f},"cold_starts":{},"peak_servers":{},"policy":"{}","runtime":"{}","matches":{},)"
      R"("players":{},"match_wait_p99_ms":{:.1f},"simulated_s":{:.0f},"elapsed_s":{:.2f}}})",
      r.served_server_s, r.idle_server_s, r.idle_ratio, r.ttp_p50_ms, r.ttp_p99_ms, r.cold_starts, r.peak_servers,
      policy, options().latencies_file.empty() ? options().runtime : "custom", r.matches, r.players,
      r.match_wait_p99_ms, r.simulated_s, elapsed_s);
}

int fail(const Error& e) {
  std::cerr << "error: " << e.message << " (" << e.field << ")" << std::endl;
  return 2;
}

}  // namespace

void add_simulate_command(CLI::App& simulate) {
  auto& o = options();
  simulate.add_option("--demand", o.demand_file, "CSV of seconds,players_per_second (linear in between)")->required();
  simulate.add_option("--runtime", o.runtime, "whose measured cold starts to draw from")
      ->check(CLI::IsMember({"process", "docker", "oci"}))
      ->capture_default_str();
  simulate.add_option("--latencies", o.latencies_file,
                      "a file of cold-start latencies in ms, one per line, instead of the runtime's");
  simulate.add_option("--policy", o.policy, "off, buffer:N or predictive")->capture_default_str();
  simulate.add_option("--players-per-match", o.players_per_match, "players a match takes")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  simulate.add_option("--session-s", o.session_s, "mean session length in seconds (exponential)")
      ->check(CLI::Range(1.0, 86'400.0))
      ->capture_default_str();
  simulate.add_option("--max-starts-per-s", o.max_starts_per_s, "starts the engine can begin per second (0: no limit)")
      ->check(CLI::Range(0.0, 100'000.0))
      ->capture_default_str();
  simulate.add_option("--seed", o.seed, "random seed: the same seed gives the same figures")->capture_default_str();
  simulate
      .add_option("--cold-start-probability", o.pool.cold_start_probability,
                  "predictive: accepted probability of a match waiting for a cold start")
      ->check(CLI::Range(0.000001, 0.5))
      ->capture_default_str();
  simulate.add_option("--min-ready", o.pool.min_ready, "pool bound")
      ->check(CLI::Range(0, PoolLimits::max_ready))
      ->capture_default_str();
  simulate.add_option("--max-ready", o.pool.max_ready, "pool bound")
      ->check(CLI::Range(0, PoolLimits::max_ready))
      ->capture_default_str();
  simulate
      .add_option("--idle-timeout-s", o.pool.idle_timeout_s, "a surplus ready server is stopped after idling this long")
      ->check(CLI::Range(0, PoolLimits::max_idle_timeout_s))
      ->capture_default_str();
  simulate.add_option("--plot", o.plot_file, "draw buffer:0..N and predictive as SVG into this file");
  simulate.add_option("--plot-buffers", o.plot_buffers, "the largest buffer size on the plot")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
}

int run_simulate() {
  auto& o = options();
  if (o.pool.min_ready > o.pool.max_ready)
    return fail(make_error(Errc::invalid_field, "min-ready is above max-ready", "min-ready"));
  auto demand_text = read_file(o.demand_file, "demand");
  if (!demand_text) return fail(demand_text.error());
  auto demand = DemandCurve::parse(*demand_text);
  if (!demand) return fail(demand.error());
  const std::string latencies_path =
      o.latencies_file.empty() ? default_latencies_file(o.runtime).string() : o.latencies_file;
  auto latency_text = read_file(latencies_path, "latencies");
  if (!latency_text) {
    if (o.latencies_file.empty())
      std::cerr << "No cold starts measured for the " << o.runtime
                << " runtime: run bench/ttp with TTP_SAVE_LATENCIES=1, or pass --latencies FILE\n";
    return fail(latency_text.error());
  }
  auto latencies = parse_start_latencies(*latency_text);
  if (!latencies) return fail(latencies.error());
  auto pool = parse_policy(o.policy, o.pool);
  if (!pool) return fail(pool.error());

  SimulationOptions sim;
  sim.start_latencies_ms = std::move(*latencies);
  sim.players_per_match = o.players_per_match;
  sim.session_mean_s = o.session_s;
  sim.max_starts_per_s = o.max_starts_per_s;
  sim.seed = o.seed;

  auto timed_run = [&](const PoolSpec& spec) {
    sim.pool = spec;
    const auto started = std::chrono::steady_clock::now();
    auto result = run_simulation(*demand, sim);
    return std::pair{result, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()};
  };

  if (!o.plot_file.empty()) {
    std::vector<PlottedPolicy> plotted;
    for (int n = 0; n <= o.plot_buffers; ++n) {
      auto spec = parse_policy(fmt::format("buffer:{}", n), o.pool);
      auto [result, elapsed] = timed_run(*spec);
      std::cerr << result_json(fmt::format("buffer:{}", n), result, elapsed) << "\n";
      plotted.push_back({fmt::format("buffer:{}", n), result});
    }
    auto spec = parse_policy("predictive", o.pool);
    auto [result, elapsed] = timed_run(*spec);
    std::cerr << result_json("predictive", result, elapsed) << "\n";
    plotted.push_back({"predictive", result});
    std::ofstream out(o.plot_file, std::ios::trunc);
    out << plot_svg(*demand, plotted,
                    fmt::format("Warm pool trade-off: {} cold starts, {} players per match, sessions of {:g} s",
                                o.latencies_file.empty() ? o.runtime : "custom", o.players_per_match, o.session_s));
    if (!out.flush()) return fail(make_error(Errc::invalid_field, fmt::format("cannot write {}", o.plot_file), "plot"));
  }

  auto [result, elapsed] = timed_run(*pool);
  std::cout << result_json(o.policy, result, elapsed) << std::endl;
  return 0;
}

}  // namespace webgames::simulate
