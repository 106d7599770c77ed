// Boost.JSON compiled into the harness (build-fuzz only), so that the parser
// itself carries the sanitizers and libFuzzer's coverage: a fuzzer that sees
// which JSON it parses finds well-formed bodies much sooner. Its symbols take
// the place of libboost_json's.
#include <boost/json/src.hpp>
