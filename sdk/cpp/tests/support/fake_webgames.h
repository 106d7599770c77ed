#pragma once
// Plays Webgames' SDK endpoint in tests: an HTTP server on 127.0.0.1, port 0,
// running on its own thread, that records every request and answers 204
// unless a test scripted another answer.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace webgames::sdk::testing {

struct RecordedRequest {
  std::string method;
  std::string target;
  std::string authorization;
  std::string content_type;
  std::string body;
};

class FakeWebgames {
 public:
  FakeWebgames();
  ~FakeWebgames();
  FakeWebgames(const FakeWebgames&) = delete;
  FakeWebgames& operator=(const FakeWebgames&) = delete;

  std::string url() const;  // "http://127.0.0.1:<port>"

  // The next `times` requests whose target ends with `suffix` get `status`
  // and `body` instead of 204. Status 0: no answer at all, the connection is
  // held open until the fake is destroyed.
  void answer_next(std::string suffix, int status, std::string body = {}, int times = 1);

  std::vector<RecordedRequest> requests() const;
  // Requests whose target ends with `suffix`.
  std::vector<RecordedRequest> requests_to(std::string_view suffix) const;
  // Waits until `count` requests to `suffix` were recorded; false on timeout.
  bool wait_for(std::string_view suffix, std::size_t count,
                std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

 private:
  struct Script {
    std::string suffix;
    int status;
    std::string body;
  };
  struct Server;

  // Records `request` and says how to answer it.
  Script record(RecordedRequest request);

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<RecordedRequest> requests_;
  std::deque<Script> scripts_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

}  // namespace webgames::sdk::testing
