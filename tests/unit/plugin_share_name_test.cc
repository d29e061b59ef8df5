#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "plugin/share_name.h"

namespace ks::plugin {
namespace {

bool IsObjectName(const std::string& name) {
  static const std::regex kSubdomain("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
  return name.size() <= 253 && std::regex_match(name, kSubdomain);
}

TEST(PluginShareName, PlainCommunityReadsAsSecretDashCommunity) {
  EXPECT_EQ(ShareName("db", "research"), "db-research");
}

TEST(PluginShareName, EveryLabelValueGivesAValidDistinctName) {
  const std::vector<std::string> communities = {"Team_A", "team-a", "team.a", "TEAM-A", "a"};
  std::set<std::string> names;
  for (const std::string& community : communities) {
    const std::string name = ShareName("db", community);
    EXPECT_TRUE(IsObjectName(name)) << name;
    EXPECT_EQ(name.rfind("db-", 0), 0u) << name;
    names.insert(name);
  }
  EXPECT_EQ(names.size(), communities.size());
}

TEST(PluginShareName, LongSecretNamesAreShortenedKeepingTheNameValid) {
  const std::string name = ShareName(std::string(250, 'x'), "research");
  EXPECT_TRUE(IsObjectName(name)) << name;
  EXPECT_NE(name, ShareName(std::string(250, 'x'), "research2"));
}

}  // namespace
}  // namespace ks::plugin
