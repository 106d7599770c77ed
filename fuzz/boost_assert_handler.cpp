// The fuzz build's handler of failed BOOST_ASSERTs (build-fuzz only; the
// build defines BOOST_ENABLE_ASSERT_HANDLER everywhere): a failed assertion
// is a finding, so it aborts like assert() and libFuzzer keeps the input,
// except for one false assertion of Boost 1.81 that fuzzing stopped on
// within minutes and that hid everything behind it.
//
// Boost.Beast 1.81, basic_parser::parse_chunk_header: BOOST_ASSERT(n >= 5)
// fails on a chunked body whose last chunk ("0\r\n") comes right after the
// headers with its trailer still to come; 3 or 4 bytes are a valid state
// there and the code after it asks for more input, as the NDEBUG builds that
// Webgames ships do (Beast removed the assertion upstream after 1.81).
// docs/fuzzing.md has the finding.

#include <boost/assert.hpp>

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

bool known_false(std::string_view expr, std::string_view file) {
  return expr == "n >= 5" && file.ends_with("boost/beast/http/impl/basic_parser.ipp");
}

[[noreturn]] void fail(char const* expr, char const* msg, char const* function, char const* file, long line) {
  std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed%s%s\n", file, line, function, expr, msg ? ": " : "",
               msg ? msg : "");
  std::abort();
}

}  // namespace

namespace boost {

void assertion_failed(char const* expr, char const* function, char const* file, long line) {
  if (known_false(expr, file)) return;
  fail(expr, nullptr, function, file, line);
}

void assertion_failed_msg(char const* expr, char const* msg, char const* function, char const* file, long line) {
  if (known_false(expr, file)) return;
  fail(expr, msg, function, file, line);
}

}  // namespace boost
