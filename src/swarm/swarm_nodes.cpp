#include "swarm/swarm_nodes.h"

#include <boost/json/object.hpp>

#include <map>

namespace webgames::swarm {

namespace json = boost::json;

namespace {

const json::value* at(const json::value& v, std::string_view a, std::string_view b = {}, std::string_view c = {}) {
  const json::value* p = &v;
  for (auto key : {a, b, c}) {
    if (key.empty()) break;
    if (!p->is_object()) return nullptr;
    p = p->get_object().if_contains(key);
    if (p == nullptr) return nullptr;
  }
  return p;
}

std::string str(const json::value& v, std::string_view a, std::string_view b = {}, std::string_view c = {}) {
  auto* p = at(v, a, b, c);
  return p != nullptr && p->is_string() ? std::string(p->get_string()) : std::string();
}

std::optional<int> num(const json::value& v, std::string_view key) {
  auto* p = at(v, key);
  if (p == nullptr) return std::nullopt;
  if (p->is_int64()) return static_cast<int>(p->get_int64());
  if (p->is_uint64()) return static_cast<int>(p->get_uint64());
  return std::nullopt;
}

// {"Protocol":"tcp","PublishedPort":7000,"PublishMode":"host"} -> (tcp, 7000)
std::optional<std::pair<Protocol, int>> published(const json::value& port) {
  auto number = num(port, "PublishedPort");
  if (!number || *number <= 0) return std::nullopt;
  auto protocol = str(port, "Protocol") == "udp" ? Protocol::udp : Protocol::tcp;
  return std::pair{protocol, *number};
}

}  // namespace

bool unroutable(const std::string& address) {
  return address.empty() || address == "0.0.0.0" || address == "::" || address == "[::]" || address == "::1" ||
         address == "[::1]" || address == "localhost" || address.starts_with("127.");
}

SwarmNodes SwarmNodes::from_engine(const json::array& nodes, const json::array& tasks, const json::array& services,
                                   const std::string& public_host, const std::string& installation) {
  SwarmNodes out;
  std::map<std::string, std::size_t> index;
  for (const auto& n : nodes) {
    if (str(n, "Status", "State") != "ready" || str(n, "Spec", "Availability") != "active") continue;
    SwarmNode node;
    node.id = str(n, "ID");
    if (node.id.empty()) continue;
    node.host = str(n, "Spec", "Labels", "webgames.public_host");
    if (node.host.empty()) node.host = str(n, "Status", "Addr");
    if (unroutable(node.host)) node.host = public_host;
    index[node.id] = out.nodes_.size();
    out.nodes_.push_back(std::move(node));
  }
  // Ports every node holds: a service's ingress (routing mesh) ports.
  std::set<std::string> ours;
  std::set<std::pair<Protocol, int>> everywhere;
  for (const auto& s : services) {
    if (str(s, "Spec", "Labels", "webgames.installation") == installation && !installation.empty())
      ours.insert(str(s, "ID"));
    if (auto* ports = at(s, "Endpoint", "Ports"); ports && ports->is_array())
      for (const auto& p : ports->get_array())
        if (str(p, "PublishMode") != "host")
          if (auto port = published(p)) everywhere.insert(*port);
  }
  for (auto& node : out.nodes_) node.ports = everywhere;
  // Ports a task holds on its node: the host-mode ports it published, or
  // (before it runs) those its service asks for.
  std::map<std::string, const json::value*> by_id;
  for (const auto& s : services) by_id[str(s, "ID")] = &s;
  for (const auto& t : tasks) {
    auto desired = str(t, "DesiredState");
    if (desired != "running" && desired != "ready" && desired != "accepted") continue;
    auto state = str(t, "Status", "State");
    if (state == "complete" || state == "failed" || state == "shutdown" || state == "rejected" || state == "orphaned" ||
        state == "remove")
      continue;
    auto it = index.find(str(t, "NodeID"));
    if (it == index.end()) continue;
    auto& node = out.nodes_[it->second];
    auto service = str(t, "ServiceID");
    if (ours.contains(service)) ++node.servers;
    if (auto* ports = at(t, "Status", "PortStatus", "Ports"); ports && ports->is_array())
      for (const auto& p : ports->get_array())
        if (auto port = published(p)) node.ports.insert(*port);
    if (auto s = by_id.find(service); s != by_id.end())
      if (auto* ports = at(*s->second, "Spec", "EndpointSpec", "Ports"); ports && ports->is_array())
        for (const auto& p : ports->get_array())
          if (str(p, "PublishMode") == "host")
            if (auto port = published(p)) node.ports.insert(*port);
  }
  return out;
}

std::optional<SwarmNode> SwarmNodes::least_loaded() const {
  const SwarmNode* best = nullptr;
  for (const auto& n : nodes_)
    if (best == nullptr || n.servers < best->servers) best = &n;
  if (best == nullptr) return std::nullopt;
  return *best;
}

const SwarmNode* SwarmNodes::find(const std::string& id) const {
  for (const auto& n : nodes_)
    if (n.id == id) return &n;
  return nullptr;
}

void SwarmNodes::count_placed(const std::string& id) {
  for (auto& n : nodes_)
    if (n.id == id) ++n.servers;
}

}  // namespace webgames::swarm
