#include "core/kube/object.h"

#include <gtest/gtest.h>

namespace ks::kube {
namespace {

using nlohmann::json;

TEST(Annotation, ReadsAStringAnnotationAndNothingElse) {
  const json object = {{"metadata", {{"annotations", {{"example.dev/note", "kept"}, {"example.dev/count", 3}}}}}};
  EXPECT_EQ(Annotation(object, "example.dev/note"), "kept");
  EXPECT_EQ(Annotation(object, "example.dev/count"), "") << "not a string";
  EXPECT_EQ(Annotation(object, "example.dev/missing"), "");
  EXPECT_EQ(Annotation(json{{"metadata", {{"name", "x"}}}}, "example.dev/note"), "") << "no annotations";
  EXPECT_EQ(Annotation(json::object(), "example.dev/note"), "") << "no metadata";
}

}  // namespace
}  // namespace ks::kube
