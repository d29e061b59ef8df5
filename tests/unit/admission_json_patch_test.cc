#include "core/admission/json_patch.h"

#include <gtest/gtest.h>

namespace ks::admission {
namespace {

using nlohmann::json;

TEST(PointerToken, EscapesTildeBeforeSlashAndLeavesTheRest) {
  EXPECT_EQ(PointerToken("kernelsecrets.dev/revision"), "kernelsecrets.dev~1revision");
  EXPECT_EQ(PointerToken("a~b"), "a~0b");
  // "~1" in a key is a tilde and a one, not a slash: written "~01", read back as "~1".
  EXPECT_EQ(PointerToken("~1"), "~01");
  EXPECT_EQ(PointerToken(""), "");
  EXPECT_EQ(json::json_pointer("/" + PointerToken("x/~y")).back(), "x/~y");
}

TEST(JsonPatchWriter, WritesTheOperationsInOrderAsAJsonPatchThatApplies) {
  JsonPatchWriter writer;
  writer.AddJson("/spec/containers/0/envFrom", R"([{"secretRef":{"name":"s"}}])");
  writer.Add("/metadata/annotations/" + PointerToken("a/b"), "it's \"quoted\"\\");
  const json patch = json::parse(std::move(writer).Take());

  ASSERT_EQ(patch.size(), 2u);
  EXPECT_EQ(patch[0], json({{"op", "add"}, {"path", "/spec/containers/0/envFrom"},
                            {"value", json::array({{{"secretRef", {{"name", "s"}}}}})}}));
  const json pod = {{"metadata", {{"annotations", json::object()}}}, {"spec", {{"containers", {json::object()}}}}};
  const json patched = pod.patch(patch);
  EXPECT_EQ(patched["metadata"]["annotations"]["a/b"], "it's \"quoted\"\\");
  EXPECT_EQ(patched["spec"]["containers"][0]["envFrom"][0]["secretRef"]["name"], "s");
}

TEST(JsonPatchWriter, WithoutOperationsIsAnEmptyArray) {
  EXPECT_EQ(json::parse(JsonPatchWriter().Take()), json::array());
}

TEST(JsonPatchWriter, ThrowsOnInvalidUtf8AsDumpDoes) {
  JsonPatchWriter writer;
  EXPECT_THROW(writer.Add("/metadata/annotations/a", std::string("\xff")), json::type_error);
}

}  // namespace
}  // namespace ks::admission
