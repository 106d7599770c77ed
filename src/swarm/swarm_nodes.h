#pragma once
// SwarmNodes: the nodes of a swarm as placement needs them, read from what
// the manager reports (pure: built from the JSON of GET /nodes, /tasks and
// /services, tested without dockerd).
//
// For each node that can take tasks (state ready, availability active):
//   host    where its players connect: the node label webgames.public_host
//           when set; else the address the node joined with (Status.Addr);
//           else, when that is a loopback or unspecified address (a swarm
//           initialised with --advertise-addr 127.0.0.1), `public_host`
//   ports   the ports taken there: those published in host mode by the
//           tasks that run (or are about to) on it, any service's, and those
//           every service publishes through the routing mesh (ingress),
//           which hold on every node
//   servers how many of this installation's servers run there
//
// Not thread-safe; the runtime's strand owns it.

#include "domain/game.h"

#include <boost/json/array.hpp>

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace webgames::swarm {

struct SwarmNode {
  std::string id;
  std::string host;
  std::set<std::pair<Protocol, int>> ports;
  int servers = 0;
};

class SwarmNodes {
 public:
  // `installation` tells this installation's services (their label) apart.
  static SwarmNodes from_engine(const boost::json::array& nodes, const boost::json::array& tasks,
                                const boost::json::array& services, const std::string& public_host,
                                const std::string& installation);

  const std::vector<SwarmNode>& nodes() const { return nodes_; }
  bool empty() const { return nodes_.empty(); }
  // The node with the fewest of our servers (the first of equals); nullopt
  // when no node can take a task.
  std::optional<SwarmNode> least_loaded() const;
  const SwarmNode* find(const std::string& id) const;
  // One more server placed on `id` before the engine reports it.
  void count_placed(const std::string& id);

 private:
  std::vector<SwarmNode> nodes_;
};

// Whether an address is loopback or unspecified ("127.0.0.1", "0.0.0.0", "::", "").
bool unroutable(const std::string& address);

}  // namespace webgames::swarm
