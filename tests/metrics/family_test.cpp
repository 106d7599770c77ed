#include "metrics/family.h"

#include <gtest/gtest.h>

namespace webgames::metrics {
namespace {

using std::chrono::milliseconds;

TEST(Family, OneSeriesPerLabelValuesRenderedSortedWithHelpAndType) {
  Family<Counter> f({"game", "queue"});
  f.at({"b", "duel"}).inc();
  f.at({"a", "duel"}).inc(2);
  f.at({"b", "duel"}).inc();
  std::string out;
  render(out, "webgames_x_total", "Things.", f);
  EXPECT_EQ(out,
            "# HELP webgames_x_total Things.\n# TYPE webgames_x_total counter\n"
            "webgames_x_total{game=\"a\",queue=\"duel\"} 2\n"
            "webgames_x_total{game=\"b\",queue=\"duel\"} 2\n");
}

TEST(Family, HelpAndTypeEvenWithoutSeries) {
  Family<Gauge> f({"node"});
  std::string out;
  render(out, "webgames_y", "Y.", f);
  EXPECT_EQ(out, "# HELP webgames_y Y.\n# TYPE webgames_y gauge\n");
}

TEST(Family, LabelValuesAreEscaped) { EXPECT_EQ(label_text({"game"}, {"a\"b\\c\nd"}), R"(game="a\"b\\c\nd")"); }

TEST(Histogram, CumulativeBucketsSumAndCount) {
  Family<Histogram> f({"game"}, histograms_of(kWaitBuckets));
  f.at({"g"}).observe(milliseconds(70));    // <= 0.1
  f.at({"g"}).observe(milliseconds(3000));  // <= 5
  f.at({"g"}).observe(std::chrono::hours(1));
  std::string out;
  render(out, "webgames_t_seconds", "T.", f);
  EXPECT_NE(out.find("webgames_t_seconds_bucket{game=\"g\",le=\"0.05\"} 0\n"), std::string::npos) << out;
  EXPECT_NE(out.find("webgames_t_seconds_bucket{game=\"g\",le=\"0.1\"} 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("webgames_t_seconds_bucket{game=\"g\",le=\"5\"} 2\n"), std::string::npos) << out;
  EXPECT_NE(out.find("webgames_t_seconds_bucket{game=\"g\",le=\"600\"} 2\n"), std::string::npos) << out;
  EXPECT_NE(out.find("webgames_t_seconds_bucket{game=\"g\",le=\"+Inf\"} 3\n"), std::string::npos) << out;
  EXPECT_NE(out.find("webgames_t_seconds_sum{game=\"g\"} 3603.07\n"), std::string::npos) << out;
  EXPECT_NE(out.find("webgames_t_seconds_count{game=\"g\"} 3\n"), std::string::npos) << out;
}

TEST(Histogram, WithoutLabels) {
  Histogram h(kCallBuckets);
  h.observe(std::chrono::microseconds(50));
  std::string out;
  h.render(out, "webgames_r_seconds", "");
  EXPECT_NE(out.find("webgames_r_seconds_bucket{le=\"0.0001\"} 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("webgames_r_seconds_count 1\n"), std::string::npos) << out;
  EXPECT_EQ(h.count(), 1u);
}

}  // namespace
}  // namespace webgames::metrics
