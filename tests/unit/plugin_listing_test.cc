#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plugin/listing.h"
#include "plugin/table.h"

namespace ks::plugin {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// A stored secret as the API server returns it; it may even hold a stray spec.value (a bypassed
// webhook), which the table must never show.
json StoredSecret(const std::string& ns, const std::string& name, const std::string& variable) {
  return {
      {"metadata", {{"name", name}, {"namespace", ns}, {"annotations", {{"kernelsecrets.dev/created-by", "alice"}}}}},
      {"spec", {{"name", variable}, {"value", "plaintext-" + name}, {"encrypted", {{"ciphertext", "c2VjcmV0"}}}}},
      {"status",
       {{"visibleIn", 3}, {"conditions", {{{"type", "Ready"}, {"status", "True"}, {"reason", "Available"}}}}}}};
}

json StoredShare(const std::string& ns, const std::string& name, const std::string& secret,
                 const std::string& community) {
  return {{"metadata", {{"name", name}, {"namespace", ns}}},
          {"spec", {{"secretName", secret}, {"community", community}}}};
}

TEST(PluginTable, ColumnsAlignToTheWidestCell) {
  const Table table{{"NAME", "VALUE"}, {{"a-long-name", "***"}, {"b", "***"}}};
  EXPECT_EQ(RenderTable(table),
            "NAME          VALUE\n"
            "a-long-name   ***\n"
            "b             ***\n");
}

// -o json|yaml: the table's rows, keyed by its headers, so scripts read what people see.
TEST(PluginTable, RowsAsDocumentsKeyedByTheHeaders) {
  const Table table{{"NAME", "VISIBLE-IN"}, {{"db", "3"}, {"say \"hi\"", "-"}}};
  const json rows = TableObjects(table);
  EXPECT_EQ(rows, json::parse(R"([{"name": "db", "visibleIn": "3"}, {"name": "say \"hi\"", "visibleIn": "-"}])"));
  EXPECT_EQ(RenderDocument(rows, "json"), rows.dump(2) + "\n");
  EXPECT_EQ(RenderDocument(rows, "yaml"),
            "- name: \"db\"\n  visibleIn: \"3\"\n- name: \"say \\\"hi\\\"\"\n  visibleIn: \"-\"\n");
  EXPECT_EQ(RenderDocument({{"kernelPods", json::array()}}, "yaml"), "kernelPods:\n  []\n");
}

TEST(PluginListing, ValuesAreAlwaysStars) {
  const json secrets = json::array({StoredSecret("a", "db", "DB_PASSWORD")});
  const Table table = SecretTable(secrets, json::array(), {});
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_THAT(table.rows[0], ElementsAre("db", "DB_PASSWORD", "***", "True", "3", "-", "alice"));
  const std::string rendered = RenderTable(table);
  EXPECT_THAT(rendered, Not(HasSubstr("plaintext-")));
  EXPECT_THAT(rendered, Not(HasSubstr("c2VjcmV0")));
}

TEST(PluginListing, OwnRowsNameTheCommunitiesTheyAreSharedInto) {
  const json secrets = json::array({StoredSecret("a", "token", "TOKEN"), StoredSecret("a", "db", "DB")});
  json leaving = StoredShare("a", "token-old", "token", "old");
  leaving["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z";
  const json shares =
      json::array({StoredShare("a", "token-c2", "token", "c2"), StoredShare("a", "token-c1", "token", "c1"), leaving});
  const Table table = SecretTable(secrets, shares, {});
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0][0], "db");
  EXPECT_EQ(table.rows[0][5], "-");
  EXPECT_EQ(table.rows[1][0], "token");
  EXPECT_EQ(table.rows[1][5], "c1,c2");
}

TEST(PluginListing, ReadinessShowsWhyASecretIsNotReady) {
  json shadowed = StoredSecret("a", "db", "DB");
  shadowed["status"]["conditions"] = {{{"type", "Ready"}, {"status", "False"}, {"reason", "Shadowed"}}};
  json fresh = StoredSecret("a", "new", "NEW");
  fresh.erase("status");
  const Table table = SecretTable(json::array({shadowed, fresh}), json::array(), {});
  EXPECT_EQ(table.rows[0][3], "False (Shadowed)");
  EXPECT_EQ(table.rows[1][3], "Unknown");
  EXPECT_EQ(table.rows[1][4], "-");
}

TEST(PluginListing, SharedInSecretsFollowMarkedWithTheirProject) {
  const std::vector<SharedIn> shared = {
      {api::ViewShare(StoredShare("z", "s", "api", "c")), StoredSecret("z", "api", "API_KEY")},
      {api::ViewShare(StoredShare("b", "s", "hidden", "c")), json()},  // the user may not read it
  };
  const Table table = SecretTable(json::array({StoredSecret("a", "own", "OWN")}), json::array(), shared);
  ASSERT_EQ(table.rows.size(), 3u);
  EXPECT_EQ(table.rows[0][0], "own");
  EXPECT_THAT(table.rows[1], ElementsAre("hidden", "-", "***", "Unknown", "-", "shared from b", "-"));
  EXPECT_THAT(table.rows[2], ElementsAre("api", "API_KEY", "***", "True", "3", "shared from z", "alice"));
}

TEST(PluginListing, SharesIntoTheCommunityFromOtherProjectsOnceEach) {
  json leaving = StoredShare("d", "s", "gone", "c");
  leaving["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z";
  const json shares =
      json::array({StoredShare("b", "s1", "x", "c"), StoredShare("b", "s2", "x", "c"),  // one secret twice
                   StoredShare("a", "own", "y", "c"),                                   // the project's own
                   StoredShare("c", "other", "z", "another"), leaving});
  std::vector<std::string> keys;
  for (const api::ShareView& share : SharesInto(shares, "c", "a")) keys.push_back(share.SharedSecret().ToString());
  EXPECT_THAT(keys, ElementsAre("b/x"));
}

}  // namespace
}  // namespace ks::plugin
