#include <gtest/gtest.h>

#include "injector/project_secrets.h"

namespace ks::injector {
namespace {

using nlohmann::json;

TEST(SummarizeNativeSecret, TakesTheRevisionAndTheSortedNamesNeverTheValues) {
  const json secret = {
      {"metadata", {{"name", "kernel-secrets"}, {"annotations", {{"kernelsecrets.dev/revision", "3f2a9c"}}}}},
      {"data", {{"ZETA", "aHVudGVyMg=="}, {"ALPHA", "czNjcjN0"}}}};
  const ProjectSecretsSummary summary = SummarizeNativeSecret(secret);
  EXPECT_EQ(summary.revision, "3f2a9c");
  EXPECT_EQ(summary.names, (std::vector<std::string>{"ALPHA", "ZETA"}));
}

TEST(SummarizeNativeSecret, HandlesMissingAnnotationAndData) {
  const ProjectSecretsSummary summary = SummarizeNativeSecret({{"metadata", {{"name", "kernel-secrets"}}}});
  EXPECT_EQ(summary.revision, "unknown");
  EXPECT_TRUE(summary.names.empty());
}

}  // namespace
}  // namespace ks::injector
