#pragma once
// A Redis command as its arguments, and a Lua script run by EVALSHA.

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace webgames::redis {

// A Lua script, known to Redis by the SHA1 of its source.
class Script {
 public:
  explicit Script(std::string source);
  const std::string& source() const { return source_; }
  const std::string& sha1() const { return sha1_; }  // lower-case hex

 private:
  std::string source_;
  std::string sha1_;
};

struct Command {
  std::vector<std::string> args;  // the command's name, then its arguments (binary-safe)
  // Set for EVALSHA (see eval()): the client loads the script on each new
  // connection before its first use, and resends the command as EVAL when
  // Redis answers NOSCRIPT all the same (a SCRIPT FLUSH meanwhile).
  std::shared_ptr<const Script> script;
};

// A command from its words: cmd({"SET", key, value}).
Command cmd(std::initializer_list<std::string_view> words);
// A command from its words, built up by the caller.
Command cmd(std::vector<std::string> words);

// EVALSHA of `script` with `keys` and `args`.
Command eval(std::shared_ptr<const Script> script, const std::vector<std::string>& keys,
             const std::vector<std::string>& args);

// The bytes of `c` in the Redis protocol (hiredis's redisFormatCommandArgv).
std::string format(const Command& c);
// The same command as EVAL with the script's source (the NOSCRIPT fallback).
// REQUIRES: c.script is set.
Command as_eval(const Command& c);

}  // namespace webgames::redis
