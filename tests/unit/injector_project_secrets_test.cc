#include <gtest/gtest.h>

#include "injector/project_secrets.h"

namespace ks::injector {
namespace {

using nlohmann::json;

TEST(SummarizeNativeSecret, TakesTheRevisionAndTheNamesFromTheAnnotations) {
  const json metadata = {
      {"kind", "PartialObjectMetadata"},
      {"metadata",
       {{"name", "kernel-secrets"},
        {"annotations",
         {{"kernelsecrets.dev/revision", "3f2a9c"}, {"kernelsecrets.dev/secret-names", "ALPHA,ZETA"}}}}}};
  const ProjectSecretsSummary summary = SummarizeNativeSecret(metadata);
  EXPECT_EQ(summary.revision, "3f2a9c");
  EXPECT_EQ(summary.names, "ALPHA,ZETA");
}

TEST(SummarizeNativeSecret, HandlesMissingAnnotations) {
  const ProjectSecretsSummary summary = SummarizeNativeSecret({{"metadata", {{"name", "kernel-secrets"}}}});
  EXPECT_EQ(summary.revision, "unknown");
  EXPECT_EQ(summary.names, "");
}

}  // namespace
}  // namespace ks::injector
