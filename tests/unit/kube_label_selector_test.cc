#include <gtest/gtest.h>

#include "core/kube/label_selector.h"

namespace ks::kube {
namespace {

using nlohmann::json;

using Requirements = std::vector<LabelRequirement>;

json WithLabels(json labels) { return {{"metadata", {{"labels", std::move(labels)}}}}; }

TEST(LabelSelector, ParsesEqualityAndExistenceRequirements) {
  struct Case {
    std::string text;
    std::vector<LabelRequirement> requirements;
  };
  for (const auto& c : std::vector<Case>{
           {"kernelsecrets.dev/inject=true", {{"kernelsecrets.dev/inject", "true"}}},
           {"component=kernel", {{"component", "kernel"}}},
           {"marker=", {{"marker", ""}}},
           {"notebook-name", {{"notebook-name", std::nullopt}}},
           {"component=singleuser-server,app=jupyterhub", {{"component", "singleuser-server"}, {"app", "jupyterhub"}}},
       }) {
    auto selector = LabelSelector::Parse(c.text);
    ASSERT_TRUE(selector.ok()) << c.text << ": " << selector.status().message();
    EXPECT_EQ(selector->requirements(), c.requirements) << c.text;
    EXPECT_EQ(selector->ToString(), c.text) << "round trip";
  }
}

TEST(LabelSelector, RefusesAnythingElseNamingThePartAndTheForms) {
  for (const char* text : {"", "=kernel", "a==b", "a!=b", "a=b,", ",a=b", "a in (b)", "a=b c", "!a"}) {
    auto selector = LabelSelector::Parse(text);
    ASSERT_FALSE(selector.ok()) << text;
    EXPECT_EQ(selector.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(selector.status().message().find("key=value"), std::string::npos) << selector.status().message();
    EXPECT_NE(selector.status().message().find("(the label exists"), std::string::npos) << selector.status().message();
  }
}

TEST(LabelSelector, EqualityMatchesOnlyTheExactValue) {
  const LabelSelector selector(Requirements{{"kernelsecrets.dev/inject", "true"}});
  EXPECT_TRUE(selector.Matches(WithLabels({{"kernelsecrets.dev/inject", "true"}})));
  EXPECT_FALSE(selector.Matches(WithLabels({{"kernelsecrets.dev/inject", "True"}})));
  EXPECT_FALSE(selector.Matches(WithLabels({{"inject", "true"}})));
  EXPECT_FALSE(selector.Matches({{"metadata", {{"name", "no-labels"}}}}));
  EXPECT_FALSE(selector.Matches({{"metadata", {{"labels", "not an object"}}}}));
  EXPECT_FALSE(selector.Matches({{"spec", json::object()}}));
  EXPECT_FALSE(selector.Matches(json()));
}

TEST(LabelSelector, ExistenceMatchesAnyValueAndEveryRequirementMustHold) {
  const LabelSelector kubeflow(Requirements{{"notebook-name", std::nullopt}});
  EXPECT_TRUE(kubeflow.Matches(WithLabels({{"notebook-name", "my-notebook"}})));
  EXPECT_TRUE(kubeflow.Matches(WithLabels({{"notebook-name", ""}})));
  EXPECT_FALSE(kubeflow.Matches(WithLabels({{"statefulset", "my-notebook"}})));

  const LabelSelector both(
      Requirements{{"component", "singleuser-server"}, {"hub.jupyter.org/username", std::nullopt}});
  EXPECT_TRUE(both.Matches(WithLabels({{"component", "singleuser-server"}, {"hub.jupyter.org/username", "ada"}})));
  EXPECT_FALSE(both.Matches(WithLabels({{"component", "singleuser-server"}})));
  EXPECT_FALSE(both.Matches(WithLabels({{"hub.jupyter.org/username", "ada"}})));
}

}  // namespace
}  // namespace ks::kube
