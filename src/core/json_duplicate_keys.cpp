#include "core/json_duplicate_keys.h"

#include <fmt/format.h>
#include <boost/json/basic_parser_impl.hpp>

#include <unordered_set>
#include <vector>

namespace webgames {
namespace {

namespace json = boost::json;
using boost::system::error_code;

// A basic_parser handler that builds nothing: it keeps, for each object or
// array it is inside of, how it was reached and the keys (or the count of
// values) seen so far, and stops at the first key seen twice, with its path.
class DuplicateFinder {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  std::optional<std::string> duplicate;

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code&) { return enter(true); }
  bool on_object_end(std::size_t, error_code&) { return leave(); }
  bool on_array_begin(error_code&) { return enter(false); }
  bool on_array_end(std::size_t, error_code&) { return leave(); }
  bool on_key_part(std::string_view part, std::size_t, error_code&) {
    key_.append(part);
    return true;
  }
  bool on_key(std::string_view part, std::size_t, error_code& ec) {
    key_.append(part);
    auto& frame = frames_.back();
    auto [kept, fresh] = frame.keys.insert(std::move(key_));
    if (!fresh) {
      duplicate = path_to(*kept);
      ec = json::error::extra_data;  // any error: it stops the parser here
      return false;
    }
    frame.last_key = &*kept;  // a set's elements stay where they are as it grows
    key_.clear();
    return true;
  }
  bool on_string_part(std::string_view, std::size_t, error_code&) { return true; }
  bool on_string(std::string_view, std::size_t, error_code&) { return value(); }
  bool on_number_part(std::string_view, error_code&) { return true; }
  bool on_int64(std::int64_t, std::string_view, error_code&) { return value(); }
  bool on_uint64(std::uint64_t, std::string_view, error_code&) { return value(); }
  bool on_double(double, std::string_view, error_code&) { return value(); }
  bool on_bool(bool, error_code&) { return value(); }
  bool on_null(error_code&) { return value(); }
  bool on_comment_part(std::string_view, error_code&) { return true; }
  bool on_comment(std::string_view, error_code&) { return true; }

 private:
  struct Frame {
    bool object;
    std::string path;  // of this container: "" for the document
    // An object's keys so far, hashed: a body of thousands of short keys
    // (64 KiB holds 9 000) costs linear time, not quadratic (an audit found
    // a linear search burning a loop for a tenth of a second per request).
    std::unordered_set<std::string> keys;
    const std::string* last_key = nullptr;
    std::size_t values = 0;  // an array's, so far
  };

  std::string path_to(std::string_view key) const {
    auto name = std::string(key.substr(0, 64));
    const auto& here = frames_.back().path;
    return here.empty() ? name : here + "." + name;
  }
  // One more value in the innermost container; its path.
  std::string value_path() {
    if (frames_.empty()) return {};
    auto& f = frames_.back();
    if (f.object) return path_to(*f.last_key);
    return fmt::format("{}[{}]", f.path, f.values++);
  }
  bool value() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().values;
    return true;
  }
  bool enter(bool object) {
    frames_.push_back(Frame{object, value_path(), {}, nullptr, 0});
    return true;
  }
  bool leave() {
    frames_.pop_back();
    return true;
  }

  std::vector<Frame> frames_;
  std::string key_;
};

}  // namespace

std::optional<std::string> first_duplicate_key(std::string_view text) {
  json::basic_parser<DuplicateFinder> parser(json::parse_options{});
  error_code ec;
  parser.write_some(false, text.data(), text.size(), ec);
  return std::move(parser.handler().duplicate);
}

}  // namespace webgames
