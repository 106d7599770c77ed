#include "redis/command.h"

#include <hiredis/hiredis.h>
#include <openssl/sha.h>

#include <cassert>
#include <new>

namespace webgames::redis {

Script::Script(std::string source) : source_(std::move(source)) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(source_.data()), source_.size(), digest);
  static constexpr char hex[] = "0123456789abcdef";
  sha1_.reserve(2 * SHA_DIGEST_LENGTH);
  for (unsigned char b : digest) {
    sha1_ += hex[b >> 4];
    sha1_ += hex[b & 15];
  }
}

Command cmd(std::initializer_list<std::string_view> words) {
  Command c;
  c.args.reserve(words.size());
  for (auto w : words) c.args.emplace_back(w);
  return c;
}

Command cmd(std::vector<std::string> words) { return Command{std::move(words), nullptr}; }

Command eval(std::shared_ptr<const Script> script, const std::vector<std::string>& keys,
             const std::vector<std::string>& args) {
  Command c;
  c.args.reserve(3 + keys.size() + args.size());
  c.args.push_back("EVALSHA");
  c.args.push_back(script->sha1());
  c.args.push_back(std::to_string(keys.size()));
  c.args.insert(c.args.end(), keys.begin(), keys.end());
  c.args.insert(c.args.end(), args.begin(), args.end());
  c.script = std::move(script);
  return c;
}

Command as_eval(const Command& c) {
  assert(c.script && c.args.size() >= 3);
  Command out = c;
  out.args[0] = "EVAL";
  out.args[1] = c.script->source();
  out.script = nullptr;
  return out;
}

std::string format(const Command& c) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  argv.reserve(c.args.size());
  lens.reserve(c.args.size());
  for (const auto& a : c.args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  char* out = nullptr;
  int n = redisFormatCommandArgv(&out, static_cast<int>(argv.size()), argv.data(), lens.data());
  if (n < 0 || out == nullptr) throw std::bad_alloc();
  std::string bytes(out, static_cast<std::size_t>(n));
  redisFreeCommand(out);
  return bytes;
}

}  // namespace webgames::redis
