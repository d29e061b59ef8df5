#include <gtest/gtest.h>

#include "injector/kernel_selector.h"

namespace ks::injector {
namespace {

using nlohmann::json;

TEST(KernelSelector, ParsesKeyEqualsValue) {
  struct Case {
    std::string text;
    std::string key;
    std::string value;
  };
  for (const auto& c : std::vector<Case>{{"kernelsecrets.dev/inject=true", "kernelsecrets.dev/inject", "true"},
                                         {"component=kernel", "component", "kernel"},
                                         {"marker=", "marker", ""}}) {
    auto selector = KernelSelector::Parse(c.text);
    ASSERT_TRUE(selector.ok()) << c.text;
    EXPECT_EQ(selector->key, c.key);
    EXPECT_EQ(selector->value, c.value);
  }
}

TEST(KernelSelector, RefusesAnythingElseStatingTheForm) {
  for (const char* text : {"", "component", "=kernel", "a==b", "a!=b", "a=b,c=d", "a in (b)", "a=b c"}) {
    auto selector = KernelSelector::Parse(text);
    ASSERT_FALSE(selector.ok()) << text;
    EXPECT_EQ(selector.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(selector.status().message().find("key=value"), std::string::npos) << selector.status().message();
  }
}

TEST(KernelSelector, MatchesOnlyTheExactLabelValue) {
  const KernelSelector selector{.key = "kernelsecrets.dev/inject", .value = "true"};
  EXPECT_TRUE(selector.Matches({{"metadata", {{"labels", {{"kernelsecrets.dev/inject", "true"}}}}}}));
  EXPECT_FALSE(selector.Matches({{"metadata", {{"labels", {{"kernelsecrets.dev/inject", "True"}}}}}}));
  EXPECT_FALSE(selector.Matches({{"metadata", {{"labels", {{"inject", "true"}}}}}}));
  EXPECT_FALSE(selector.Matches({{"metadata", {{"name", "no-labels"}}}}));
  EXPECT_FALSE(selector.Matches({{"spec", json::object()}}));
  EXPECT_FALSE(selector.Matches(json()));
}

}  // namespace
}  // namespace ks::injector
