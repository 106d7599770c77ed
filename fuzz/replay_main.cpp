// The fuzz harnesses' main() where libFuzzer is not linked (the GCC build that
// `make test` uses): runs LLVMFuzzerTestOneInput once over every file named on
// the command line, or every regular file of a directory named there, in name
// order; then, with --mutations=N, over N inputs made by mutating the corpus
// (flips, inserts, erasures, copies and splices, as libFuzzer's own mutators
// do, without its coverage guidance), drawn from a seeded generator
// (--seed=S, default 1) so that a run is the same on every machine. A crash
// prints the input being run (hex) before the process dies. libFuzzer's own
// main() (the clang build, `make fuzz`) does the guided, sanitized search.

#include <algorithm>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

constexpr std::size_t kMaxInput = 64 * 1024;

// The input being run, for the crash report.
const std::string* current = nullptr;

void write_all(const char* p, std::size_t n) {
  while (n > 0) {
    auto w = ::write(STDERR_FILENO, p, n);
    if (w <= 0) return;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

// Async-signal-safe: only write(2).
void report_crash(int sig) {
  static const char head[] = "\nfuzz replay: crashed on this input (hex):\n";
  write_all(head, sizeof head - 1);
  if (current != nullptr) {
    static const char digits[] = "0123456789abcdef";
    char line[128];
    std::size_t n = 0;
    for (unsigned char c : *current) {
      line[n++] = digits[c >> 4];
      line[n++] = digits[c & 15];
      if (n == 120) {
        line[n++] = '\n';
        write_all(line, n);
        n = 0;
      }
    }
    line[n++] = '\n';
    write_all(line, n);
  }
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void run(const std::string& input) {
  current = &input;
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
  current = nullptr;
}

// One random edit of `s`; `other` is another corpus input to splice from.
void mutate_once(std::string& s, const std::string& other, std::mt19937_64& rng) {
  auto below = [&rng](std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng() % n); };
  static const std::string_view interesting[] = {"0",
                                                 "-1",
                                                 "1e308",
                                                 "-9223372036854775808",
                                                 "18446744073709551616",
                                                 "\"",
                                                 "{",
                                                 "}",
                                                 "[",
                                                 "]",
                                                 ":",
                                                 ",",
                                                 "\\u0000",
                                                 "\xff",
                                                 "\r\n",
                                                 "%00",
                                                 "null",
                                                 "true",
                                                 "1.5",
                                                 "9999999999999999999999"};
  switch (rng() % 8) {
    case 0:  // flip a bit
      if (!s.empty()) s[below(s.size())] ^= static_cast<char>(1u << (rng() % 8));
      break;
    case 1:  // a random byte
      if (!s.empty()) s[below(s.size())] = static_cast<char>(rng());
      break;
    case 2:  // insert random bytes
      s.insert(below(s.size() + 1), std::string(1 + below(8), static_cast<char>(rng())));
      break;
    case 3:  // erase a range
      if (!s.empty()) {
        auto at = below(s.size());
        s.erase(at, 1 + below(std::min<std::size_t>(s.size() - at, 16)));
      }
      break;
    case 4:  // copy a range elsewhere
      if (!s.empty()) {
        auto from = below(s.size());
        auto piece = s.substr(from, 1 + below(std::min<std::size_t>(s.size() - from, 32)));
        s.insert(below(s.size() + 1), piece);
      }
      break;
    case 5:  // an interesting token
      s.insert(below(s.size() + 1), interesting[below(std::size(interesting))]);
      break;
    case 6:  // splice with another input
      if (!other.empty()) s = s.substr(0, below(s.size() + 1)) + other.substr(below(other.size()));
      break;
    default:  // keep the first byte (many harnesses read it as a selector), vary it
      if (!s.empty()) s[0] = static_cast<char>(rng());
      break;
  }
  if (s.size() > kMaxInput) s.resize(kMaxInput);
}

bool flag(std::string_view arg, std::string_view name, unsigned long long& value) {
  if (arg.substr(0, name.size()) != name) return false;
  value = std::strtoull(std::string(arg.substr(name.size())).c_str(), nullptr, 10);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  unsigned long long mutations = 0, seed = 1;
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg(argv[i]);
    if (flag(arg, "--mutations=", mutations) || flag(arg, "--seed=", seed)) continue;
    std::filesystem::path path(argv[i]);
    if (std::filesystem::is_directory(path)) {
      for (const auto& entry : std::filesystem::directory_iterator(path))
        if (entry.is_regular_file()) files.push_back(entry.path());
    } else {
      files.push_back(path);
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::fprintf(stderr, "usage: %s [--mutations=N] [--seed=S] CORPUS_DIR_OR_FILE...  (no input found)\n", argv[0]);
    return 2;
  }
  for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) std::signal(sig, report_crash);
  std::vector<std::string> corpus;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    corpus.emplace_back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    run(corpus.back());
  }
  std::mt19937_64 rng(seed);
  for (unsigned long long i = 0; i < mutations; ++i) {
    std::string input = corpus[rng() % corpus.size()];
    const auto& other = corpus[rng() % corpus.size()];
    for (auto edits = 1 + rng() % 4; edits > 0; --edits) mutate_once(input, other, rng);
    run(input);
  }
  std::printf("replayed %zu inputs and %llu mutations of them (seed %llu)\n", corpus.size(), mutations, seed);
  return 0;
}
