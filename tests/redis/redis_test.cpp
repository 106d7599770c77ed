#include "redis/redis_test.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace webgames::testing {
namespace {

std::string run(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) throw std::runtime_error("popen: " + command);
  char buf[256];
  while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
  if (::pclose(p) != 0) throw std::runtime_error("failed: " + command + "\n" + out);
  return out;
}

std::uint16_t read_port(const std::filesystem::path& dir) {
  std::ifstream in(dir / "port");
  unsigned port = 0;
  if (!(in >> port) || port == 0 || port > 65535)
    throw std::runtime_error("no redis-server port in " + (dir / "port").string() + " (is redis.setup run?)");
  return static_cast<std::uint16_t>(port);
}

}  // namespace

redis::Options shared_redis() {
  const char* dir = std::getenv("WEBGAMES_REDIS_DIR");
  if (dir == nullptr) throw std::runtime_error("WEBGAMES_REDIS_DIR is not set: run the tests through ctest");
  redis::Options o;
  o.port = read_port(dir);
  return o;
}

PrivateRedis::PrivateRedis() {
  start();
  port_ = read_port(dir_.path() / "redis");
}

PrivateRedis::~PrivateRedis() {
  try {
    script("stop");
  } catch (...) {
  }
}

std::string PrivateRedis::script(const std::string& action) const {
  return run("WEBGAMES_REDIS_DIR='" + (dir_.path() / "redis").string() + "' " WEBGAMES_SOURCE_DIR "/scripts/redis " +
             action + " 2>&1");
}

void PrivateRedis::start() { script("start"); }
void PrivateRedis::kill9() { script("kill"); }

redis::Options PrivateRedis::options() const {
  redis::Options o;
  o.port = port_;
  return o;
}

Loop::Loop() : work_(boost::asio::make_work_guard(io_)), thread_([this] { io_.run(); }) {}

Loop::~Loop() {
  work_.reset();
  io_.stop();
  thread_.join();
}

}  // namespace webgames::testing
