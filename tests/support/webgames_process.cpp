#include "support/webgames_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <mutex>
#include <regex>
#include <set>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace webgames::testing {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

std::mutex registry_mutex;
std::set<pid_t>& registry() {
  static std::set<pid_t> pids;
  return pids;
}

std::string read_from(const fs::path& path, std::uintmax_t offset) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(static_cast<std::streamoff>(offset));
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

std::string tail(const std::string& text, std::size_t lines) {
  std::size_t pos = text.size();
  if (pos > 0 && text[pos - 1] == '\n') --pos;  // the last line's end
  for (std::size_t n = 0; n < lines; ++n) {
    auto nl = pos == 0 ? std::string::npos : text.rfind('\n', pos - 1);
    if (nl == std::string::npos) return text;
    pos = nl;
  }
  return text.substr(pos + 1);
}

std::vector<pid_t> WebgamesProcess::live_pids() {
  std::lock_guard lock(registry_mutex);
  return {registry().begin(), registry().end()};
}

WebgamesProcess::WebgamesProcess(WebgamesOptions options) : options_(std::move(options)) {
  spawn();
  // The log line tells the port; /healthz would too, but the line is what
  // an operator sees, and it is written once the API listens.
  // 0.0.0.0 too: the Docker tests listen where bridge containers reach them.
  static const std::regex serving(R"(webgames serving on http://(?:127\.0\.0\.1|0\.0\.0\.0):([0-9]+))");
  auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
  for (;;) {
    std::smatch m;
    auto text = log();
    if (std::regex_search(text, m, serving)) {
      port_ = static_cast<std::uint16_t>(std::stoi(m[1].str()));
      return;
    }
    if (!running()) {
      throw std::runtime_error("webgames exited at start (status " + std::to_string(status_.value_or(-1)) + "):\n" +
                               tail(text));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      kill9();
      throw std::runtime_error("webgames did not serve within the start timeout:\n" + tail(text));
    }
    std::this_thread::sleep_for(20ms);
  }
}

WebgamesProcess::~WebgamesProcess() {
  if (pid_ > 0 && !status_) kill9();
}

void WebgamesProcess::spawn() {
  std::vector<std::string> args{
      options_.binary.string(),   "serve",           "--port", std::to_string(options_.port), "--data-dir",
      options_.data_dir.string(), "--password-cost", "minimum"};
  args.insert(args.end(), options_.flags.begin(), options_.flags.end());
  // Our environment, minus WEBGAMES_* (the server reads its settings from
  // those): the test decides every setting through flags.
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e)
    if (!std::string_view(*e).starts_with("WEBGAMES_")) env.emplace_back(*e);
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  std::error_code ec;
  fs::create_directories(options_.log_file.parent_path(), ec);
  log_offset_ = fs::exists(options_.log_file) ? fs::file_size(options_.log_file) : 0;
  int log = ::open(options_.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) throw std::runtime_error("cannot open " + options_.log_file.string());
  auto cwd = options_.log_file.parent_path();
  pid_t parent = ::getpid();

  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(log);
    throw std::runtime_error("fork failed");
  }
  if (pid == 0) {
    // Only async-signal-safe calls until exec.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, STDIN_FILENO);
    ::dup2(log, STDOUT_FILENO);
    ::dup2(log, STDERR_FILENO);
    if (::chdir(cwd.c_str()) != 0) ::_exit(126);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(log);
  pid_ = pid;
  status_.reset();
  std::lock_guard lock(registry_mutex);
  registry().insert(pid_);
}

bool WebgamesProcess::running() {
  if (pid_ <= 0 || status_) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    status_ = status;
    std::lock_guard lock(registry_mutex);
    registry().erase(pid_);
    return false;
  }
  return true;
}

std::optional<int> WebgamesProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(10ms);
  }
  return status_;
}

void WebgamesProcess::kill9() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  wait_for_exit(std::chrono::hours(1));
}

std::optional<int> WebgamesProcess::terminate(std::chrono::milliseconds timeout) {
  if (!running()) return status_;
  ::kill(pid_, SIGTERM);
  if (auto status = wait_for_exit(timeout)) return status;
  kill9();
  return std::nullopt;
}

std::string WebgamesProcess::log() const { return read_from(options_.log_file, log_offset_); }

std::string WebgamesProcess::full_log() const { return read_from(options_.log_file, 0); }

}  // namespace webgames::testing
