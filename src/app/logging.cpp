#include "app/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace webgames {
namespace {

// %j: the message as a JSON string body (quotes, backslashes and control
// characters escaped), so that a JSON-lines pattern stays valid JSON.
class JsonEscapedMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    for (char c : msg.payload) {
      switch (c) {
        case '"':
          dest.append(std::string_view("\\\""));
          break;
        case '\\':
          dest.append(std::string_view("\\\\"));
          break;
        case '\n':
          dest.append(std::string_view("\\n"));
          break;
        case '\r':
          dest.append(std::string_view("\\r"));
          break;
        case '\t':
          dest.append(std::string_view("\\t"));
          break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            static constexpr char kHex[] = "0123456789abcdef";
            char buf[] = {'\\', 'u', '0', '0', kHex[(c >> 4) & 15], kHex[c & 15]};
            dest.append(buf, buf + sizeof buf);
          } else {
            dest.push_back(c);
          }
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JsonEscapedMessage>(); }
};

std::unique_ptr<spdlog::formatter> make_formatter(const std::string& format, bool access) {
  auto f = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  if (format == "json") {
    f->add_flag<JsonEscapedMessage>('j');
    // Access lines are JSON objects already; they are embedded, not escaped.
    f->set_pattern(access ? R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","logger":"%n","access":%v})"
                          : R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","logger":"%n","msg":"%j"})");
  } else {
    f->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%-5l%$ [%n] %v");
  }
  return f;
}

}  // namespace

void setup_logging(const std::string& level, const std::string& format) {
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  auto main = std::make_shared<spdlog::logger>("webgames", sink);
  main->set_formatter(make_formatter(format, false));
  auto access_sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  auto access = std::make_shared<spdlog::logger>("access", access_sink);
  access->set_formatter(make_formatter(format, true));
  spdlog::drop("access");
  spdlog::register_logger(access);
  spdlog::set_default_logger(main);
  spdlog::set_level(spdlog::level::from_str(level));
  access->set_level(spdlog::level::from_str(level));
}

}  // namespace webgames
