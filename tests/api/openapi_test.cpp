// docs/api/openapi.yaml must describe exactly the routes the server has.

#include "api/api_test_fixture.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

namespace webgames::testing {
namespace {

class OpenApiTest : public ApiTest {};

TEST_F(OpenApiTest, DocumentAndRouterAgree) {
  auto doc = YAML::LoadFile(std::string(WEBGAMES_SOURCE_DIR) + "/docs/api/openapi.yaml");
  ASSERT_TRUE(doc["openapi"].as<std::string>().starts_with("3.1"));

  std::set<std::string> documented;
  for (const auto& path : doc["paths"]) {
    for (const auto& op : path.second) {
      auto method = op.first.as<std::string>();
      if (method == "parameters" || method == "summary" || method == "description") continue;
      std::transform(method.begin(), method.end(), method.begin(), ::toupper);
      documented.insert(method + " " + path.first.as<std::string>());
      EXPECT_TRUE(op.second["responses"]) << method << " " << path.first.as<std::string>() << " has no responses";
    }
  }

  std::set<std::string> served;
  for (const auto& r : app->router().routes()) served.insert(std::string(to_string(r.method)) + " " + r.pattern);

  for (const auto& route : served) EXPECT_TRUE(documented.contains(route)) << "undocumented route: " << route;
  for (const auto& route : documented) EXPECT_TRUE(served.contains(route)) << "documented but not served: " << route;
}

}  // namespace
}  // namespace webgames::testing
