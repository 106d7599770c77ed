// SwarmNodes: which nodes take servers, the address players are sent to on
// each, and the ports taken there, from what a manager reports of a swarm
// of three nodes (the Docker tests check it on the fixture's single node).

#include "swarm/swarm_nodes.h"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

namespace webgames::swarm {
namespace {

namespace json = boost::json;

json::array parse(std::string_view text) { return json::parse(text).as_array(); }

const json::array kNodes = parse(R"([
  {"ID":"n1","Spec":{"Availability":"active","Labels":{}},"Status":{"State":"ready","Addr":"10.0.0.1"}},
  {"ID":"n2","Spec":{"Availability":"active","Labels":{"webgames.public_host":"203.0.113.2"}},
   "Status":{"State":"ready","Addr":"10.0.0.2"}},
  {"ID":"n3","Spec":{"Availability":"drain","Labels":{}},"Status":{"State":"ready","Addr":"10.0.0.3"}},
  {"ID":"n4","Spec":{"Availability":"active","Labels":{}},"Status":{"State":"down","Addr":"10.0.0.4"}}
])");

const json::array kServices = parse(R"([
  {"ID":"s-ours","Spec":{"Labels":{"webgames.installation":"ins_1"},
   "EndpointSpec":{"Ports":[{"Protocol":"tcp","TargetPort":7005,"PublishedPort":7005,"PublishMode":"host"}]}}},
  {"ID":"s-web","Spec":{"Labels":{}},
   "Endpoint":{"Ports":[{"Protocol":"tcp","TargetPort":80,"PublishedPort":7100,"PublishMode":"ingress"}]}},
  {"ID":"s-dns","Spec":{"Labels":{}}}
])");

const json::array kTasks = parse(R"([
  {"ServiceID":"s-ours","NodeID":"n1","DesiredState":"running","Status":{"State":"starting"}},
  {"ServiceID":"s-dns","NodeID":"n2","DesiredState":"running",
   "Status":{"State":"running","PortStatus":{"Ports":[{"Protocol":"udp","TargetPort":53,"PublishedPort":7053,"PublishMode":"host"}]}}},
  {"ServiceID":"s-dns","NodeID":"n1","DesiredState":"shutdown",
   "Status":{"State":"complete","PortStatus":{"Ports":[{"Protocol":"udp","TargetPort":53,"PublishedPort":7054,"PublishMode":"host"}]}}}
])");

TEST(SwarmNodesTest, ReadyActiveNodesWithTheirPlayersAddress) {
  auto nodes = SwarmNodes::from_engine(kNodes, kTasks, kServices, "play.example.org", "ins_1");
  ASSERT_EQ(nodes.nodes().size(), 2u) << "drained and down nodes take no server";
  EXPECT_EQ(nodes.find("n1")->host, "10.0.0.1") << "the address the node joined with";
  EXPECT_EQ(nodes.find("n2")->host, "203.0.113.2") << "the node's webgames.public_host label wins";
  EXPECT_EQ(nodes.find("n3"), nullptr);
}

TEST(SwarmNodesTest, ASingleNodeSwarmOnTheLoopbackSendsPlayersToThePublicHost) {
  auto one = parse(R"([{"ID":"self","Spec":{"Availability":"active"},"Status":{"State":"ready","Addr":"127.0.0.1"}}])");
  auto nodes = SwarmNodes::from_engine(one, {}, {}, "play.example.org", "ins_1");
  ASSERT_EQ(nodes.nodes().size(), 1u);
  EXPECT_EQ(nodes.nodes()[0].host, "play.example.org");
  auto unspecified =
      parse(R"([{"ID":"self","Spec":{"Availability":"active"},"Status":{"State":"ready","Addr":"0.0.0.0"}}])");
  EXPECT_EQ(SwarmNodes::from_engine(unspecified, {}, {}, "h", "i").nodes()[0].host, "h");
}

TEST(SwarmNodesTest, PortsAreTakenWhereTheirTasksRunAndIngressPortsEverywhere) {
  auto nodes = SwarmNodes::from_engine(kNodes, kTasks, kServices, "h", "ins_1");
  const auto& n1 = nodes.find("n1")->ports;
  const auto& n2 = nodes.find("n2")->ports;
  // Our starting task asks for 7005 on n1 (not running yet: from its service's spec).
  EXPECT_TRUE(n1.contains({Protocol::tcp, 7005}));
  EXPECT_FALSE(n2.contains({Protocol::tcp, 7005}));
  // Another service's host-mode port on n2 only; a finished task holds nothing.
  EXPECT_TRUE(n2.contains({Protocol::udp, 7053}));
  EXPECT_FALSE(n1.contains({Protocol::udp, 7053}));
  EXPECT_FALSE(n1.contains({Protocol::udp, 7054}));
  // The routing mesh holds its port on every node.
  EXPECT_TRUE(n1.contains({Protocol::tcp, 7100}));
  EXPECT_TRUE(n2.contains({Protocol::tcp, 7100}));
}

TEST(SwarmNodesTest, TheLeastLoadedNodeTakesTheNextServer) {
  auto nodes = SwarmNodes::from_engine(kNodes, kTasks, kServices, "h", "ins_1");
  EXPECT_EQ(nodes.find("n1")->servers, 1);
  EXPECT_EQ(nodes.least_loaded()->id, "n2");
  nodes.count_placed("n2");
  nodes.count_placed("n2");
  EXPECT_EQ(nodes.least_loaded()->id, "n1");
  EXPECT_FALSE(SwarmNodes::from_engine({}, {}, {}, "h", "i").least_loaded());
}

}  // namespace
}  // namespace webgames::swarm
