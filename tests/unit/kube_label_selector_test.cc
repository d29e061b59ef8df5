#include <gtest/gtest.h>

#include "core/kube/label_selector.h"

namespace ks::kube {
namespace {

using nlohmann::json;
using Operator = LabelRequirement::Operator;

json WithLabels(json labels) { return {{"metadata", {{"labels", std::move(labels)}}}}; }

LabelSelector Parsed(const std::string& text) {
  StatusOr<LabelSelector> selector = LabelSelector::Parse(text);
  EXPECT_TRUE(selector.ok()) << text << ": " << selector.status().message();
  return selector.ok() ? std::move(*selector) : LabelSelector({});
}

TEST(LabelSelector, ParsesEveryFormOfTheTextSyntax) {
  struct Case {
    std::string text;
    std::vector<LabelRequirement> requirements;
    std::string canonical;
  };
  for (const auto& c : std::vector<Case>{
           {"kernelsecrets.dev/inject=true", {{"kernelsecrets.dev/inject", Operator::kIn, {"true"}}},
            "kernelsecrets.dev/inject=true"},
           {"component==kernel", {{"component", Operator::kIn, {"kernel"}}}, "component=kernel"},
           {"marker=", {{"marker", Operator::kIn, {""}}}, "marker="},
           {"tier!=gpu", {{"tier", Operator::kNotIn, {"gpu"}}}, "tier!=gpu"},
           {"component in (singleuser-server, kernel)", {{"component", Operator::kIn, {"kernel", "singleuser-server"}}},
            "component in (kernel,singleuser-server)"},
           {"tier notin (gpu,tpu)", {{"tier", Operator::kNotIn, {"gpu", "tpu"}}}, "tier notin (gpu,tpu)"},
           {"notebook-name", {{"notebook-name", Operator::kExists, {}}}, "notebook-name"},
           {"!hub.jupyter.org/network-access-hub", {{"hub.jupyter.org/network-access-hub", Operator::kDoesNotExist, {}}},
            "!hub.jupyter.org/network-access-hub"},
           {"component=singleuser-server, app=jupyterhub",
            {{"app", Operator::kIn, {"jupyterhub"}}, {"component", Operator::kIn, {"singleuser-server"}}},
            "app=jupyterhub,component=singleuser-server"},
       }) {
    const LabelSelector selector = Parsed(c.text);
    EXPECT_EQ(selector.requirements(), c.requirements) << c.text;
    EXPECT_EQ(selector.ToString(), c.canonical) << c.text;
    EXPECT_EQ(Parsed(selector.ToString()).requirements(), selector.requirements()) << "round trip of " << c.text;
  }
}

TEST(LabelSelector, RefusesAnythingElseNamingThePartAndTheForms) {
  for (const char* text : {"", "=kernel", "a=b,", ",a=b", "a in ()", "a in (b", "a in ((b))", "a between (b)",
                           "a=b c", "!", "a=b/c", "a in (b) x"}) {
    auto selector = LabelSelector::Parse(text);
    ASSERT_FALSE(selector.ok()) << text;
    EXPECT_EQ(selector.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(selector.status().message().find("key=value"), std::string::npos) << selector.status().message();
    EXPECT_NE(selector.status().message().find("key notin (v1,v2)"), std::string::npos) << selector.status().message();
  }
}

TEST(LabelSelector, EqualityMatchesOnlyTheExactValue) {
  const LabelSelector selector = Parsed("kernelsecrets.dev/inject=true");
  EXPECT_TRUE(selector.Matches(WithLabels({{"kernelsecrets.dev/inject", "true"}})));
  EXPECT_FALSE(selector.Matches(WithLabels({{"kernelsecrets.dev/inject", "True"}})));
  EXPECT_FALSE(selector.Matches(WithLabels({{"inject", "true"}})));
  EXPECT_FALSE(selector.Matches({{"metadata", {{"name", "no-labels"}}}}));
  EXPECT_FALSE(selector.Matches({{"metadata", {{"labels", "not an object"}}}}));
  EXPECT_FALSE(selector.Matches({{"spec", json::object()}}));
  EXPECT_FALSE(selector.Matches(json()));
}

TEST(LabelSelector, ExistenceMatchesAnyValueAndEveryRequirementMustHold) {
  const LabelSelector kubeflow = Parsed("notebook-name");
  EXPECT_TRUE(kubeflow.Matches(WithLabels({{"notebook-name", "my-notebook"}})));
  EXPECT_TRUE(kubeflow.Matches(WithLabels({{"notebook-name", ""}})));
  EXPECT_FALSE(kubeflow.Matches(WithLabels({{"statefulset", "my-notebook"}})));

  const LabelSelector both = Parsed("component=singleuser-server,hub.jupyter.org/username");
  EXPECT_TRUE(both.Matches(WithLabels({{"component", "singleuser-server"}, {"hub.jupyter.org/username", "ada"}})));
  EXPECT_FALSE(both.Matches(WithLabels({{"component", "singleuser-server"}})));
  EXPECT_FALSE(both.Matches(WithLabels({{"hub.jupyter.org/username", "ada"}})));
}

// As the API server does: a pod without the label satisfies notin, != and !key.
TEST(LabelSelector, NegationsMatchAPodWithoutTheLabel) {
  const json unlabelled = {{"metadata", {{"name", "pod"}}}};
  EXPECT_TRUE(Parsed("tier!=gpu").Matches(unlabelled));
  EXPECT_TRUE(Parsed("tier notin (gpu,tpu)").Matches(unlabelled));
  EXPECT_TRUE(Parsed("!tier").Matches(unlabelled));
  EXPECT_FALSE(Parsed("tier notin (gpu,tpu)").Matches(WithLabels({{"tier", "tpu"}})));
  EXPECT_TRUE(Parsed("tier notin (gpu,tpu)").Matches(WithLabels({{"tier", "cpu"}})));
  EXPECT_FALSE(Parsed("!tier").Matches(WithLabels({{"tier", "cpu"}})));
  EXPECT_TRUE(Parsed("tier in (cpu,gpu)").Matches(WithLabels({{"tier", "gpu"}})));
  EXPECT_FALSE(Parsed("tier in (cpu,gpu)").Matches(unlabelled));
}

TEST(LabelSelector, TheJsonFormReadsIntoTheSameRequirementsAsTheText) {
  const json kubeflow = json::parse(R"({"matchExpressions": [{"key": "notebook-name", "operator": "Exists"}]})");
  const json jupyterhub = json::parse(R"({"matchLabels": {"component": "singleuser-server"},
      "matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["gpu", "tpu"]},
                           {"key": "hub.jupyter.org/network-access-hub", "operator": "DoesNotExist"},
                           {"key": "app", "operator": "In", "values": ["jupyterhub"]}]})");
  StatusOr<LabelSelector> from_kubeflow = LabelSelector::FromJson(kubeflow);
  StatusOr<LabelSelector> from_jupyterhub = LabelSelector::FromJson(jupyterhub);
  ASSERT_TRUE(from_kubeflow.ok()) << from_kubeflow.status().message();
  ASSERT_TRUE(from_jupyterhub.ok()) << from_jupyterhub.status().message();
  EXPECT_EQ(from_kubeflow->requirements(), Parsed("notebook-name").requirements());
  EXPECT_EQ(from_jupyterhub->requirements(),
            Parsed("app=jupyterhub,component=singleuser-server,tier notin (tpu,gpu),!hub.jupyter.org/network-access-hub")
                .requirements());
}

TEST(LabelSelector, TheJsonFormRefusesWhatTheApiWouldNotTakeAndAnEmptySelector) {
  for (const char* text : {R"({})", R"({"matchLabels": {}})", R"({"matchLabels": {"a": 1}})",
                           R"({"matchLabels": {"a b": "c"}})", R"({"selector": {}})", R"([])",
                           R"({"matchExpressions": [{"key": "a", "operator": "In"}]})",
                           R"({"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["b"]}]})",
                           R"({"matchExpressions": [{"key": "a", "operator": "Gt", "values": ["1"]}]})",
                           R"({"matchExpressions": [{"key": "a", "operator": "Exists", "extra": 1}]})",
                           R"({"matchExpressions": {"key": "a"}})"}) {
    StatusOr<LabelSelector> selector = LabelSelector::FromJson(json::parse(text));
    EXPECT_FALSE(selector.ok()) << text;
    EXPECT_EQ(selector.status().code(), StatusCode::kInvalidArgument) << text;
  }
}

}  // namespace
}  // namespace ks::kube
