// deploy/grafana/webgames.json cannot drift from the metrics: every metric
// its queries name is one docs/operations.md documents (which the hosting
// test MetricsTest holds to what /metrics exposes), and every label they
// select or group by is one of those metrics' labels.

#include "support/metrics_text.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include <fstream>
#include <regex>
#include <sstream>

namespace webgames::testing {
namespace {

namespace json = boost::json;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every "expr" of the dashboard, with its panel's title.
void collect_exprs(const json::value& v, const std::string& title,
                   std::vector<std::pair<std::string, std::string>>& out) {
  if (v.is_object()) {
    const auto& o = v.as_object();
    std::string here = title;
    if (auto* t = o.if_contains("title"); t && t->is_string()) here = std::string(t->as_string());
    for (const auto& [k, child] : o) {
      if (k == "expr" && child.is_string())
        out.emplace_back(here, std::string(child.as_string()));
      else
        collect_exprs(child, here, out);
    }
  } else if (v.is_array()) {
    for (const auto& child : v.as_array()) collect_exprs(child, title, out);
  }
}

std::set<std::string> names_in(const std::string& list) {
  std::set<std::string> out;
  static const std::regex name(R"([a-zA-Z_][a-zA-Z0-9_]*)");
  for (std::sregex_iterator it(list.begin(), list.end(), name), end; it != end; ++it) out.insert(it->str());
  return out;
}

class DashboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    documented = read_metrics_table(WEBGAMES_SOURCE_DIR "/docs/operations.md");
    ASSERT_GT(documented.size(), 20u);
    for (const auto& [name, d] : documented) types[name] = d.type;
    boost::system::error_code ec;
    dashboard = json::parse(read_file(WEBGAMES_SOURCE_DIR "/deploy/grafana/webgames.json"), ec);
    ASSERT_FALSE(ec) << "deploy/grafana/webgames.json is not JSON: " << ec.message();
    collect_exprs(dashboard, "", exprs);
  }

  std::map<std::string, DocumentedMetric> documented;
  std::map<std::string, std::string> types;
  json::value dashboard;
  std::vector<std::pair<std::string, std::string>> exprs;  // (panel title, PromQL)
};

TEST_F(DashboardTest, EveryMetricAndLabelItsQueriesNameIsDocumented) {
  ASSERT_FALSE(exprs.empty());
  static const std::regex selector(R"((webgames_[a-zA-Z0-9_]+)(\{([^}]*)\})?)");
  static const std::regex grouping(R"(\b(by|without)\s*\(([^)]*)\))");
  static const std::regex matcher(R"(([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!=|!~|=))");
  for (const auto& [title, expr] : exprs) {
    std::set<std::string> labels_here;  // of the metrics this expression reads
    int metrics = 0;
    for (std::sregex_iterator it(expr.begin(), expr.end(), selector), end; it != end; ++it) {
      ++metrics;
      auto sample = (*it)[1].str();
      auto family = family_of(sample, types);
      auto doc = documented.find(family);
      if (doc == documented.end()) {
        ADD_FAILURE() << "panel \"" << title << "\": " << sample << " is not in docs/operations.md: " << expr;
        continue;
      }
      auto known = doc->second.label_names;
      if (sample.ends_with("_bucket") && doc->second.type == "histogram") known.insert("le");
      labels_here.insert(known.begin(), known.end());
      auto inside = (*it)[3].str();
      for (std::sregex_iterator m(inside.begin(), inside.end(), matcher), mend; m != mend; ++m)
        EXPECT_TRUE(known.contains((*m)[1].str()))
            << "panel \"" << title << "\": " << family << " has no label " << (*m)[1] << ": " << expr;
    }
    EXPECT_GT(metrics, 0) << "panel \"" << title << "\" reads no webgames metric: " << expr;
    for (std::sregex_iterator g(expr.begin(), expr.end(), grouping), gend; g != gend; ++g)
      for (const auto& label : names_in((*g)[2].str()))
        EXPECT_TRUE(labels_here.contains(label))
            << "panel \"" << title << "\" groups by " << label << ", a label of none of its metrics: " << expr;
  }
}

TEST_F(DashboardTest, HasThePanelsOfTheOverview) {
  std::set<std::string> titles;
  for (const auto& p : dashboard.at("panels").as_array()) titles.insert(std::string(p.at("title").as_string()));
  for (const char* wanted :
       {"Players connected", "Tickets waiting", "Matches/s", "Sessions by state", "Servers running by runtime and node",
        "Failures in the last hour by reason", "Waiting tickets per queue", "Oldest wait per queue",
        "Time to play p50 / p99", "Sessions started / ended / failed"})
    EXPECT_TRUE(titles.contains(wanted)) << "no panel \"" << wanted << "\"";
}

}  // namespace
}  // namespace webgames::testing
