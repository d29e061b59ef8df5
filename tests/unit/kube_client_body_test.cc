#include <gtest/gtest.h>

#include "core/kube/client.h"

namespace ks::kube {
namespace {

// A body that cannot be sent is refused before any connection is made: the server below (the
// discard port on loopback) is never called.
TEST(KubeClientBody, AStringThatIsNotUtf8IsRefusedWithoutThrowingOrSending) {
  ClientConfig config;
  config.server = "https://127.0.0.1:9";
  Client client(config);
  const json object = {{"metadata", {{"name", "demo"}}}, {"data", {{"token", std::string("\xff\xfe")}}}};

  StatusOr<json> created = client.Create(resources::kSecrets, "project-a", object);

  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(created.status().message().find("not valid UTF-8"), std::string::npos) << created.status().ToString();
}

}  // namespace
}  // namespace ks::kube
