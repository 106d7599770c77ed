#include "docker/docker_client.h"

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <unistd.h>

#include <array>

namespace webgames::docker {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace json = boost::json;
using local = asio::local::stream_protocol;
using Stream = beast::basic_stream<local>;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxMessage = 512;  // of dockerd's error text, in our errors

// dockerd answers errors as {"message": "..."}.
std::string message_of(const Reply& r) {
  json::error_code ec;
  auto v = json::parse(r.body, ec);
  std::string text;
  if (!ec && v.is_object())
    if (auto* m = v.get_object().if_contains("message"); m && m->is_string()) text = m->get_string();
  if (text.empty()) text = r.body;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.size() > kMaxMessage) text = text.substr(0, kMaxMessage) + "…";
  return text;
}

Error api_error(const Reply& r, std::string_view what) {
  auto text = fmt::format("dockerd refused to {}: {} (HTTP {})", what, message_of(r), r.status);
  switch (r.status) {
    case 400:
      return make_error(Errc::invalid_field, std::move(text));
    case 404:
      return make_error(Errc::not_found, std::move(text));
    case 409:
      return make_error(Errc::conflict, std::move(text));
    default:
      return make_error(r.status >= 500 ? Errc::unavailable : Errc::internal, std::move(text));
  }
}

Error unavailable(const ClientOptions& o, std::string_view step, const boost::system::error_code& ec) {
  auto why = ec == beast::error::timeout ? std::string("timed out") : ec.message();
  return make_error(Errc::unavailable, fmt::format("dockerd at {} is unavailable ({}: {})", o.socket, step, why));
}

Error cancelled() { return make_error(Errc::unavailable, "cancelled"); }

// Connects a call's stream to dockerd (or takes ClientOptions::connected_fd's).
asio::awaitable<boost::system::error_code> connect(Stream& stream, const ClientOptions& o) {
  if (o.connected_fd) {
    int fd = o.connected_fd();
    if (fd < 0) co_return asio::error::connection_refused;
    boost::system::error_code ec;
    stream.socket().assign(local(), fd, ec);
    if (ec) ::close(fd);
    co_return ec;
  }
  auto [ec] = co_await stream.async_connect(local::endpoint(o.socket), kNoThrow);
  co_return ec;
}

// Closes the Cancel's hook when the call ends, however it ends.
struct CancelHook {
  std::shared_ptr<Cancel>& cancel;
  ~CancelHook() {
    if (cancel) cancel->close_hook() = nullptr;
  }
};

bhttp::request<bhttp::string_body> make_request(const ClientOptions& o, bhttp::verb method, const std::string& target,
                                                std::string body) {
  bhttp::request<bhttp::string_body> req{method, "/" + o.api_version + target, 11};
  req.set(bhttp::field::host, "docker");
  req.set(bhttp::field::user_agent, "webgames");
  if (!body.empty()) {
    req.set(bhttp::field::content_type, "application/json");
    req.body() = std::move(body);
  }
  req.prepare_payload();
  return req;
}

}  // namespace

void Cancel::cancel() {
  cancelled_ = true;
  if (close_) close_();
}

std::string url_escape(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
      out.push_back(static_cast<char>(c));
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

void StreamDemuxer::feed(std::string_view bytes) {
  while (!bytes.empty()) {
    if (remaining_ == 0) {
      auto need = 8 - header_.size();
      auto take = std::min(need, bytes.size());
      header_.append(bytes.substr(0, take));
      bytes.remove_prefix(take);
      if (header_.size() < 8) return;
      auto b = [&](int i) { return static_cast<std::size_t>(static_cast<unsigned char>(header_[i])); };
      remaining_ = (b(4) << 24) | (b(5) << 16) | (b(6) << 8) | b(7);
      header_.clear();
      continue;
    }
    auto take = std::min(remaining_, bytes.size());
    sink_(bytes.substr(0, take));
    bytes.remove_prefix(take);
    remaining_ -= take;
  }
}

DockerClient::DockerClient(ClientOptions options) : options_(std::move(options)) {}

Task<Reply> DockerClient::call(bhttp::verb method, std::string target, std::string body,
                               std::optional<std::chrono::milliseconds> timeout, std::shared_ptr<Cancel> cancel) const {
  auto executor = co_await asio::this_coro::executor;
  Stream stream(executor);
  auto deadline = timeout.value_or(options_.timeout);
  if (deadline.count() > 0)
    stream.expires_after(deadline);  // one deadline for the whole call
  else
    stream.expires_never();
  if (cancel) {
    if (cancel->cancelled()) co_return cancelled();
    cancel->close_hook() = [&stream] { stream.close(); };
  }
  CancelHook hook{cancel};

  auto connect_ec = co_await connect(stream, options_);
  if (connect_ec) co_return cancel && cancel->cancelled() ? cancelled() : unavailable(options_, "connect", connect_ec);
  auto req = make_request(options_, method, target, std::move(body));
  auto [write_ec, written] = co_await bhttp::async_write(stream, req, kNoThrow);
  if (write_ec) co_return cancel && cancel->cancelled() ? cancelled() : unavailable(options_, "write", write_ec);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(options_.body_limit);
  auto [read_ec, read] = co_await bhttp::async_read(stream, buffer, parser, kNoThrow);
  if (read_ec) co_return cancel && cancel->cancelled() ? cancelled() : unavailable(options_, "read", read_ec);
  beast::error_code ignored;
  stream.socket().shutdown(local::socket::shutdown_both, ignored);
  co_return Reply{parser.get().result_int(), std::move(parser.get().body())};
}

Task<json::value> DockerClient::call_json(bhttp::verb method, std::string target, std::string body) const {
  auto what = fmt::format("{} {}", std::string_view(bhttp::to_string(method)), target);
  auto reply = co_await call(method, std::move(target), std::move(body));
  if (!reply) co_return reply.error();
  if (reply->status >= 300) co_return api_error(*reply, what);
  json::error_code ec;
  auto v = json::parse(reply->body, ec);
  if (ec) co_return make_error(Errc::unavailable, fmt::format("dockerd answered {} with malformed JSON", what));
  co_return v;
}

Task<void> DockerClient::ping() const {
  auto reply = co_await call(bhttp::verb::get, "/_ping");
  if (!reply) co_return reply.error();
  if (reply->status != 200) co_return api_error(*reply, "answer a ping");
  co_return Result<void>{};
}

Task<std::string> DockerClient::create_container(const std::string& name, const json::object& config) const {
  auto reply = co_await call(bhttp::verb::post, "/containers/create?name=" + url_escape(name), json::serialize(config));
  if (!reply) co_return reply.error();
  if (reply->status == 404) {
    // The only thing create cannot find is the image: never pulled here.
    auto image = config.contains("Image") ? std::string(config.at("Image").as_string()) : std::string();
    co_return make_error(Errc::invalid_field,
                         fmt::format("server.image {} is not on the Docker host (build or pull it there first: {})",
                                     image, message_of(*reply)),
                         "server.image");
  }
  if (reply->status != 201) co_return api_error(*reply, "create container " + name);
  json::error_code ec;
  auto v = json::parse(reply->body, ec);
  if (ec || !v.is_object() || !v.get_object().contains("Id") || !v.at("Id").is_string())
    co_return make_error(Errc::unavailable, "dockerd answered create without a container id");
  co_return std::string(v.at("Id").get_string());
}

Task<void> DockerClient::start_container(const std::string& id) const {
  auto reply = co_await call(bhttp::verb::post, "/containers/" + url_escape(id) + "/start");
  if (!reply) co_return reply.error();
  if (reply->status != 204 && reply->status != 304) co_return api_error(*reply, "start container " + id);
  co_return Result<void>{};
}

Task<void> DockerClient::stop_container(const std::string& id, std::chrono::milliseconds grace) const {
  auto seconds = (grace.count() + 999) / 1000;
  // dockerd answers once the container has stopped: up to `grace`, then the kill.
  auto reply = co_await call(bhttp::verb::post, fmt::format("/containers/{}/stop?t={}", url_escape(id), seconds), {},
                             options_.timeout + std::chrono::seconds(seconds));
  if (!reply) co_return reply.error();
  if (reply->status != 204 && reply->status != 304) co_return api_error(*reply, "stop container " + id);
  co_return Result<void>{};
}

Task<void> DockerClient::kill_container(const std::string& id, std::string_view signal) const {
  auto reply = co_await call(bhttp::verb::post, fmt::format("/containers/{}/kill?signal={}", url_escape(id), signal));
  if (!reply) co_return reply.error();
  if (reply->status != 204) co_return api_error(*reply, "kill container " + id);
  co_return Result<void>{};
}

Task<void> DockerClient::remove_container(const std::string& id) const {
  auto reply = co_await call(bhttp::verb::delete_, fmt::format("/containers/{}?force=1&v=1", url_escape(id)));
  if (!reply) co_return reply.error();
  if (reply->status != 204 && reply->status != 404) {
    // 409 "removal already in progress" is as good as done.
    if (reply->status == 409 && message_of(*reply).find("already in progress") != std::string::npos)
      co_return Result<void>{};
    co_return api_error(*reply, "remove container " + id);
  }
  co_return Result<void>{};
}

Task<json::object> DockerClient::inspect_container(const std::string& id) const {
  auto v = co_await call_json(bhttp::verb::get, "/containers/" + url_escape(id) + "/json");
  if (!v) co_return v.error();
  if (!v->is_object()) co_return make_error(Errc::unavailable, "dockerd answered inspect with a non-object");
  co_return std::move(v->get_object());
}

Task<ContainerState> DockerClient::container_state(const std::string& id) const {
  auto inspected = co_await inspect_container(id);
  if (!inspected) co_return inspected.error();
  ContainerState state;
  auto* s = inspected->if_contains("State");
  if (s == nullptr || !s->is_object()) co_return make_error(Errc::unavailable, "dockerd's inspect has no State");
  const auto& o = s->get_object();
  if (auto* v = o.if_contains("Status"); v && v->is_string()) state.status = v->get_string();
  if (auto* v = o.if_contains("Running"); v && v->is_bool()) state.running = v->get_bool();
  if (auto* v = o.if_contains("OOMKilled"); v && v->is_bool()) state.oom_killed = v->get_bool();
  if (auto* v = o.if_contains("ExitCode"); v && v->is_int64()) state.exit_code = static_cast<int>(v->get_int64());
  if (auto* v = o.if_contains("Error"); v && v->is_string()) state.error = v->get_string();
  co_return state;
}

Task<std::vector<ContainerSummary>> DockerClient::list_containers(const std::string& key,
                                                                  const std::string& value) const {
  json::object filters{{"label", json::array{key + "=" + value}}};
  auto v =
      co_await call_json(bhttp::verb::get, "/containers/json?all=1&filters=" + url_escape(json::serialize(filters)));
  if (!v) co_return v.error();
  if (!v->is_array()) co_return make_error(Errc::unavailable, "dockerd answered the container list with a non-array");
  std::vector<ContainerSummary> out;
  for (const auto& c : v->get_array()) {
    if (!c.is_object()) continue;
    const auto& o = c.get_object();
    ContainerSummary s;
    if (auto* id = o.if_contains("Id"); id && id->is_string()) s.id = id->get_string();
    if (auto* names = o.if_contains("Names");
        names && names->is_array() && !names->get_array().empty() && names->get_array()[0].is_string()) {
      s.name = names->get_array()[0].get_string();
      if (s.name.starts_with('/')) s.name.erase(0, 1);
    }
    if (auto* st = o.if_contains("State"); st && st->is_string()) s.state = st->get_string();
    if (auto* labels = o.if_contains("Labels"); labels && labels->is_object())
      for (const auto& kv : labels->get_object())
        if (kv.value().is_string()) s.labels[std::string(kv.key())] = std::string(kv.value().get_string());
    out.push_back(std::move(s));
  }
  co_return out;
}

Task<int> DockerClient::wait_container(const std::string& id, std::shared_ptr<Cancel> cancel) const {
  auto reply = co_await call(bhttp::verb::post, "/containers/" + url_escape(id) + "/wait?condition=not-running", {},
                             std::chrono::milliseconds(0), std::move(cancel));
  if (!reply) co_return reply.error();
  if (reply->status != 200) co_return api_error(*reply, "wait for container " + id);
  json::error_code ec;
  auto v = json::parse(reply->body, ec);
  if (ec || !v.is_object() || !v.get_object().contains("StatusCode") || !v.at("StatusCode").is_int64())
    co_return make_error(Errc::unavailable, "dockerd answered wait without a StatusCode");
  co_return static_cast<int>(v.at("StatusCode").get_int64());
}

Task<void> DockerClient::follow_logs(const std::string& id, std::function<void(std::string_view)> sink, bool tail_all,
                                     std::shared_ptr<Cancel> cancel) const {
  auto target =
      fmt::format("/containers/{}/logs?follow=1&stdout=1&stderr=1&tail={}", url_escape(id), tail_all ? "all" : "0");
  co_return co_await follow_stream(std::move(target), "follow the logs of " + id, std::move(sink), std::move(cancel));
}

Task<void> DockerClient::follow_service_logs(const std::string& service, std::function<void(std::string_view)> sink,
                                             bool tail_all, std::shared_ptr<Cancel> cancel) const {
  auto target =
      fmt::format("/services/{}/logs?follow=1&stdout=1&stderr=1&tail={}", url_escape(service), tail_all ? "all" : "0");
  co_return co_await follow_stream(std::move(target), "follow the logs of service " + service, std::move(sink),
                                   std::move(cancel));
}

Task<void> DockerClient::follow_stream(std::string target, std::string what, std::function<void(std::string_view)> sink,
                                       std::shared_ptr<Cancel> cancel) const {
  auto executor = co_await asio::this_coro::executor;
  Stream stream(executor);
  stream.expires_after(options_.timeout);  // until the headers; the stream itself has no deadline
  if (cancel) {
    if (cancel->cancelled()) co_return cancelled();
    cancel->close_hook() = [&stream] { stream.close(); };
  }
  CancelHook hook{cancel};
  auto failed = [&](std::string_view step, const boost::system::error_code& ec) {
    return cancel && cancel->cancelled() ? cancelled() : unavailable(options_, step, ec);
  };

  auto connect_ec = co_await connect(stream, options_);
  if (connect_ec) co_return failed("connect", connect_ec);
  auto req = make_request(options_, bhttp::verb::get, target, {});
  auto [write_ec, written] = co_await bhttp::async_write(stream, req, kNoThrow);
  if (write_ec) co_return failed("write", write_ec);

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::buffer_body> parser;
  parser.body_limit(boost::none);  // a server may log for hours; the sink decides what to keep
  auto [header_ec, header_bytes] = co_await bhttp::async_read_header(stream, buffer, parser, kNoThrow);
  if (header_ec) co_return failed("read", header_ec);
  if (parser.get().result_int() != 200) {
    // An error answer is small: read it whole for its message.
    Reply reply{parser.get().result_int(), {}};
    std::array<char, 4096> chunk{};
    while (!parser.is_done() && reply.body.size() < 16 * 1024) {
      parser.get().body().data = chunk.data();
      parser.get().body().size = chunk.size();
      auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, kNoThrow);
      reply.body.append(chunk.data(), chunk.size() - parser.get().body().size);
      if (ec && ec != bhttp::error::need_buffer) break;
    }
    co_return api_error(reply, what);
  }
  // Always multiplexed: we never give a container a TTY (and dockerd 20.10
  // does not say which in Content-Type).
  StreamDemuxer demux(sink);
  stream.expires_never();
  std::array<char, 16 * 1024> chunk{};
  while (!parser.is_done()) {
    parser.get().body().data = chunk.data();
    parser.get().body().size = chunk.size();
    // read_some: what came is handed on at once. async_read would wait
    // until the chunk is full or the stream ends, so a server's few lines
    // reached its session log only when it exited.
    auto [ec, n] = co_await bhttp::async_read_some(stream, buffer, parser, kNoThrow);
    std::string_view got(chunk.data(), chunk.size() - parser.get().body().size);
    if (!got.empty()) demux.feed(got);
    if (ec == bhttp::error::need_buffer) continue;
    if (ec == bhttp::error::end_of_stream || ec == asio::error::eof) break;
    if (ec) co_return failed("read logs", ec);
  }
  co_return Result<void>{};
}

Task<json::object> DockerClient::inspect_image(const std::string& name) const {
  auto v = co_await call_json(bhttp::verb::get, "/images/" + url_escape(name) + "/json");
  if (!v) {
    if (v.error().code == Errc::not_found)
      co_return make_error(Errc::invalid_field, fmt::format("server.image {} is not on the Docker host", name),
                           "server.image");
    co_return v.error();
  }
  if (!v->is_object()) co_return make_error(Errc::unavailable, "dockerd answered image inspect with a non-object");
  co_return std::move(v->get_object());
}

Task<NetworkInfo> DockerClient::inspect_network(const std::string& network) const {
  auto v = co_await call_json(bhttp::verb::get, "/networks/" + url_escape(network));
  if (!v) co_return v.error();
  if (!v->is_object()) co_return make_error(Errc::unavailable, "dockerd answered network inspect with a non-object");
  NetworkInfo info;
  info.name = network;
  const auto& o = v->get_object();
  if (auto* ipam = o.if_contains("IPAM"); ipam && ipam->is_object())
    if (auto* configs = ipam->get_object().if_contains("Config"); configs && configs->is_array())
      for (const auto& c : configs->get_array()) {
        if (!c.is_object()) continue;
        auto* subnet = c.get_object().if_contains("Subnet");
        auto* gw = c.get_object().if_contains("Gateway");
        // IPv6 entries (with ':') are not where an IPv4 SDK URL goes.
        if (subnet && subnet->is_string() && subnet->get_string().find(':') == json::string::npos)
          info.subnets.emplace_back(subnet->get_string());
        if (gw && gw->is_string() && info.gateway.empty() && gw->get_string().find(':') == json::string::npos)
          info.gateway = gw->get_string();
      }
  if (auto* options = o.if_contains("Options"); options && options->is_object())
    if (auto* b = options->get_object().if_contains("com.docker.network.bridge.name"); b && b->is_string())
      info.bridge = b->get_string();
  if (info.bridge.empty() && network == "bridge") info.bridge = "docker0";  // dockerd's default
  co_return info;
}

Task<std::string> DockerClient::create_service(const json::object& spec) const {
  auto v = co_await call_json(bhttp::verb::post, "/services/create", json::serialize(spec));
  if (!v) co_return v.error();
  if (!v->is_object() || !v->get_object().contains("ID") || !v->at("ID").is_string())
    co_return make_error(Errc::unavailable, "dockerd answered service create without an ID");
  co_return std::string(v->at("ID").get_string());
}

Task<void> DockerClient::remove_service(const std::string& id) const {
  auto reply = co_await call(bhttp::verb::delete_, "/services/" + url_escape(id));
  if (!reply) co_return reply.error();
  if (reply->status != 200 && reply->status != 204 && reply->status != 404)
    co_return api_error(*reply, "remove service " + id);
  co_return Result<void>{};
}

Task<json::array> DockerClient::list_services(const std::string& key, const std::string& value) const {
  json::object filters{{"label", json::array{key + "=" + value}}};
  return call_array("/services?filters=" + url_escape(json::serialize(filters)), "the service list");
}

Task<json::array> DockerClient::service_tasks(const std::string& service_id) const {
  json::object filters{{"service", json::array{service_id}}};
  auto tasks = co_await call_array("/tasks?filters=" + url_escape(json::serialize(filters)), "the task list");
  if (!tasks) co_return tasks.error();
  auto created = [](const json::value& t) -> std::string {
    if (t.is_object())
      if (auto* c = t.get_object().if_contains("CreatedAt"); c && c->is_string()) return std::string(c->get_string());
    return {};
  };
  std::sort(tasks->begin(), tasks->end(),
            [&](const json::value& a, const json::value& b) { return created(a) > created(b); });
  co_return std::move(*tasks);
}

Task<std::string> DockerClient::swarm_info(std::string key, std::string fallback) const {
  auto v = co_await call_json(bhttp::verb::get, "/info");
  if (!v) co_return v.error();
  if (v->is_object())
    if (auto* swarm = v->get_object().if_contains("Swarm"); swarm && swarm->is_object())
      if (auto* value = swarm->get_object().if_contains(key); value && value->is_string())
        co_return std::string(value->get_string());
  co_return fallback;
}

Task<std::string> DockerClient::swarm_state() const { return swarm_info("LocalNodeState", "inactive"); }

Task<std::string> DockerClient::swarm_node_id() const { return swarm_info("NodeID", ""); }

Task<json::array> DockerClient::call_array(std::string target, std::string what) const {
  auto v = co_await call_json(bhttp::verb::get, std::move(target));
  if (!v) co_return v.error();
  if (!v->is_array())
    co_return make_error(Errc::unavailable, fmt::format("dockerd answered {} with a non-array", what));
  co_return std::move(v->get_array());
}

Task<json::array> DockerClient::list_nodes() const { return call_array("/nodes", "the node list"); }

Task<json::array> DockerClient::list_running_tasks() const {
  json::object filters{{"desired-state", json::array{"running"}}};
  return call_array("/tasks?filters=" + url_escape(json::serialize(filters)), "the task list");
}

Task<json::array> DockerClient::list_all_services() const { return call_array("/services", "the service list"); }

}  // namespace webgames::docker
