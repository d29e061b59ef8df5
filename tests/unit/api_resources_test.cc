// The typed views of stored objects, and the shortcut that compares a secret's name in place.
#include <gtest/gtest.h>

#include "core/api/resources.h"

namespace ks::api {
namespace {

using nlohmann::json;

TEST(SecretViews, HasSpecNameAgreesWithTheView) {
  const std::vector<json> secrets = {
      {{"spec", {{"name", "TOKEN"}}}},
      {{"spec", {{"name", 7}}}},  // not a string: the view reads it as empty
      {{"spec", json::object()}},
      {{"spec", "not an object"}},
      json::object(),
  };
  for (const json& secret : secrets) {
    for (const char* name : {"TOKEN", "", "OTHER"}) {
      EXPECT_EQ(HasSpecName(secret, name), ViewSecret(secret).spec_name == name) << secret.dump() << " " << name;
    }
  }
}

}  // namespace
}  // namespace ks::api
