#pragma once
// Labelled series for Prometheus: a Family holds one series (a Counter, a
// Gauge or a Histogram) per combination of label values, added on first
// use and never removed, so the caller must keep the label values to a
// bounded set (a game's name, a runtime, a fixed list of reasons: never an
// id, never free text).
//
// Thread safety: every method, from any thread, without a lock. The series
// are kept in an append-only list: a lookup walks it comparing label
// values (a handful of series per family), an insertion is one
// compare-and-swap, and two threads adding the same values at once end up
// with one series.

#include "metrics/histogram.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace webgames::metrics {

struct Counter {
  std::atomic<std::uint64_t> value{0};
  void inc(std::uint64_t n = 1) { value.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t get() const { return value.load(std::memory_order_relaxed); }
};

struct Gauge {
  std::atomic<std::int64_t> value{0};
  void set(std::int64_t v) { value.store(v, std::memory_order_relaxed); }
  void add(std::int64_t n) { value.fetch_add(n, std::memory_order_relaxed); }
  std::int64_t get() const { return value.load(std::memory_order_relaxed); }
};

// `label="value"` pairs joined by commas, values escaped as the text format
// wants (\\, \", \n). REQUIRES: as many values as names.
std::string label_text(const std::vector<std::string>& names, const std::vector<std::string>& values);

// "# HELP name help\n# TYPE name type\n".
void write_header(std::string& out, std::string_view name, std::string_view type, std::string_view help);

template <class Series>
class Family {
 public:
  using Make = std::function<std::unique_ptr<Series>()>;

  // `make` builds a new series (Histogram needs its bounds). Default: Series().
  explicit Family(std::vector<std::string> label_names, Make make = {})
      : names_(std::move(label_names)), make_(make ? std::move(make) : default_make()) {}
  ~Family() {
    for (auto* n = head_.load(std::memory_order_acquire); n != nullptr;) delete std::exchange(n, n->next);
  }
  Family(const Family&) = delete;
  Family& operator=(const Family&) = delete;

  // The series of these label values, added when new.
  // REQUIRES: as many values as label names.
  Series& at(std::initializer_list<std::string_view> values) {
    auto* head = head_.load(std::memory_order_acquire);
    if (auto* found = find(head, nullptr, values)) return *found->series;
    auto node = std::make_unique<Node>();
    node->values.assign(values.begin(), values.end());
    node->labels = label_text(names_, node->values);
    node->series = make_();
    for (;;) {
      node->next = head;
      if (head_.compare_exchange_weak(head, node.get(), std::memory_order_acq_rel, std::memory_order_acquire))
        return *node.release()->series;
      // Another thread added series meanwhile: ours may be among them.
      if (auto* found = find(head, node->next, values)) return *found->series;
    }
  }

  // f(values, labels, series) for every series, newest first.
  template <class F>
  void for_each(F&& f) const {
    for (auto* n = head_.load(std::memory_order_acquire); n != nullptr; n = n->next)
      f(std::as_const(n->values), std::as_const(n->labels), std::as_const(*n->series));
  }
  // The same, with the series writable (to set gauges from a snapshot).
  template <class F>
  void for_each_mut(F&& f) {
    for (auto* n = head_.load(std::memory_order_acquire); n != nullptr; n = n->next)
      f(std::as_const(n->values), *n->series);
  }

  const std::vector<std::string>& label_names() const { return names_; }

 private:
  struct Node {
    std::vector<std::string> values;
    std::string labels;  // label_text(names_, values)
    std::unique_ptr<Series> series;
    Node* next = nullptr;
  };

  static Make default_make() {
    if constexpr (std::is_default_constructible_v<Series>)
      return [] { return std::make_unique<Series>(); };
    else
      return {};  // REQUIRES: a `make` given
  }

  // The node with `values` from `from` up to (not including) `until`.
  static Node* find(Node* from, Node* until, std::initializer_list<std::string_view> values) {
    for (auto* n = from; n != until; n = n->next)
      if (std::equal(n->values.begin(), n->values.end(), values.begin(), values.end())) return n;
    return nullptr;
  }

  std::vector<std::string> names_;
  Make make_;
  std::atomic<Node*> head_{nullptr};
};

// The families in the text format, HELP and TYPE first (written even when
// the family has no series yet), series sorted by their labels.
void render(std::string& out, std::string_view name, std::string_view help, const Family<Counter>& family);
void render(std::string& out, std::string_view name, std::string_view help, const Family<Gauge>& family);
void render(std::string& out, std::string_view name, std::string_view help, const Family<Histogram>& family);

// A family of histograms with these buckets.
inline Family<Histogram>::Make histograms_of(std::span<const double> bounds) {
  return [bounds] { return std::make_unique<Histogram>(bounds); };
}

}  // namespace webgames::metrics
