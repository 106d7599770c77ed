#pragma once
// Readers for the tests of /metrics: the Prometheus text a server exposes,
// and the table of docs/operations.md that documents every metric.

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace webgames::testing {

struct Sample {
  std::string name;                           // as written: webgames_x_bucket
  std::map<std::string, std::string> labels;  // unescaped values
  double value = 0;
};

// A metric family of the exposition: its TYPE and the label names its
// samples use ("le" of histogram buckets left out).
struct ExposedMetric {
  std::string type;
  std::set<std::string> label_names;
  std::size_t samples = 0;
};

struct Exposition {
  std::map<std::string, ExposedMetric> metrics;  // by family name
  std::vector<Sample> samples;
  std::vector<std::string> errors;  // lines that are not the text format, samples of no TYPE
  // The value of the sample named `name` whose labels include `labels`; none
  // when no sample matches or several do.
  std::optional<double> value(const std::string& name, const std::map<std::string, std::string>& labels = {}) const;
};

Exposition parse_exposition(const std::string& text);

struct DocumentedMetric {
  std::string type;
  std::set<std::string> label_names;
  std::string when;  // always, redis, postgres
};

// The rows of the table whose first column is a metric (`webgames_…`) in
// docs/operations.md: | metric | type | labels | when | meaning |.
std::map<std::string, DocumentedMetric> read_metrics_table(const std::filesystem::path& operations_md);

// The family a sample name belongs to, given the families' types: the
// histogram's name for its _bucket, _sum and _count samples.
std::string family_of(const std::string& sample_name, const std::map<std::string, std::string>& types);

}  // namespace webgames::testing
