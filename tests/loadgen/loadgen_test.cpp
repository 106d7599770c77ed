// `webgames loadgen` against the real server with Shifumi registered: the
// real binary as a child process, its JSON report read from its stdout.
// Small and short (a few seconds of load): speed belongs in `make bench`.

#include "hosting/hosting_test.h"
#include "hosting/shifumi_server.h"

#include <boost/json/parse.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

namespace webgames::testing {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

struct Finished {
  int status = -1;  // exit status; -1 when it had to be killed
  std::string out;
  std::string err;
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `webgames args…` with stdout and stderr to files; killed (by its pid)
// after `timeout`.
Finished run_webgames(const std::vector<std::string>& args, const fs::path& dir, std::chrono::seconds timeout) {
  auto out = dir / "loadgen.out";
  auto err = dir / "loadgen.err";
  pid_t pid = ::fork();
  if (pid == 0) {
    int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(o, 1);
    ::dup2(e, 2);
    std::vector<char*> argv{const_cast<char*>(WEBGAMES_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(WEBGAMES_BINARY, argv.data());
    ::_exit(127);
  }
  Finished f;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  for (;;) {
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      f.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(50ms);
  }
  f.out = read_text(out);
  f.err = read_text(err);
  return f;
}

std::int64_t int_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_int64() ? v->get_int64() : -1;
}

class LoadgenTest : public HostingTest {
 protected:
  void SetUp() override {
    HostingTest::SetUp();
    REQUIRE_SHIFUMI();
    start_webgames(shifumi_serve_flags());
    create_game("shifumi", shifumi_server_spec(1, 60), duel_queue());
  }
};

// Players queue, are matched, play Shifumi to the end and queue again; some
// start as parties of two, which a 1v1 queue refuses: they go on alone. At
// the end every ticket ended matched, cancelled or expired, and every player
// of it was told so on their events stream.
TEST_F(LoadgenTest, PlayersPlayShifumiAndEveryTicketEndsTold) {
  auto run = run_webgames(
      {"loadgen", "--server", webgames().url(), "--players", "6", "--rate", "20", "--duration", "4", "--game",
       "shifumi", "--queue", "duel", "--party-mix", "1:2,2:1", "--match-timeout-s", "10", "--game-timeout-s", "30"},
      scratch(), 60s);
  ASSERT_EQ(run.status, 0) << run.out << "\n" << run.err;
  auto doc = json::parse(run.out.substr(run.out.find('{')));
  ASSERT_TRUE(doc.is_object()) << run.out;
  const auto& report = doc.get_object();
  EXPECT_EQ(int_at(report, "players"), 6);
  EXPECT_GT(int_at(report, "matches"), 0) << run.out;
  EXPECT_EQ(int_at(report, "error_count"), 0) << run.out << "\n" << run.err;
  EXPECT_TRUE(report.at("errors").as_object().empty()) << run.out;
  EXPECT_GT(report.at("ttp_p50_ms").to_number<double>(), 0.0);
  EXPECT_GE(report.at("ttp_max_ms").to_number<double>(), report.at("ttp_p99_ms").to_number<double>());
  const auto& tickets = report.at("tickets").as_object();
  EXPECT_GT(int_at(tickets, "created"), 0);
  EXPECT_EQ(int_at(tickets, "pending"), 0) << run.out;
  EXPECT_EQ(int_at(tickets, "created"),
            int_at(tickets, "matched") + int_at(tickets, "cancelled") + int_at(tickets, "expired"))
      << run.out;
  EXPECT_EQ(int_at(tickets, "players_untold"), 0) << run.out;
  EXPECT_GE(int_at(tickets, "players_told"), int_at(tickets, "created"));
  // A progress line once a second on stderr.
  EXPECT_NE(run.err.find("loadgen 1s:"), std::string::npos) << run.err;
  expect_no_servers_left(10s);
}

}  // namespace
}  // namespace webgames::testing
