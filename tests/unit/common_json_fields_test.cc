#include <gtest/gtest.h>

#include "core/common/json_fields.h"

namespace ks {
namespace {

using nlohmann::json;

TEST(JsonFields, ReadsANestedStringAndItsParents) {
  const json document = {{"metadata", {{"name", "api-token"}, {"labels", {{"app.kubernetes.io/name", "x"}}}}}};
  EXPECT_EQ(StringAt(document, "/metadata/name"_json_pointer), "api-token");
  EXPECT_EQ(StringAt(document, json::json_pointer("/metadata/labels") / "app.kubernetes.io/name"), "x");
  ASSERT_NE(FindAt(document, "/metadata"_json_pointer), nullptr);
  EXPECT_TRUE(FindAt(document, "/metadata"_json_pointer)->is_object());
}

TEST(JsonFields, AnAbsentFieldOrAParentOfAnotherShapeReadsAsAbsent) {
  const json document = {{"metadata", "not an object"}, {"items", {1, 2}}};
  EXPECT_EQ(FindAt(document, "/spec/name"_json_pointer), nullptr);
  EXPECT_EQ(FindAt(document, "/metadata/name"_json_pointer), nullptr);
  EXPECT_EQ(FindAt(document, "/items/name"_json_pointer), nullptr);
  EXPECT_EQ(FindAt(document, "/items/7"_json_pointer), nullptr);
  EXPECT_EQ(FindAt(json("a string"), "/metadata"_json_pointer), nullptr);
  EXPECT_EQ(StringAt(document, "/metadata/name"_json_pointer), "");
}

TEST(JsonFields, AStringFieldOfAnotherTypeReadsAsEmpty) {
  const json document = {{"spec", {{"name", 42}, {"value", nullptr}}}};
  EXPECT_EQ(StringAt(document, "/spec/name"_json_pointer), "");
  EXPECT_EQ(StringAt(document, "/spec/value"_json_pointer), "");
  EXPECT_NE(FindAt(document, "/spec/value"_json_pointer), nullptr);
}

}  // namespace
}  // namespace ks
