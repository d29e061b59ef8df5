#include "operator/status.h"

#include <gtest/gtest.h>

namespace ks::op {
namespace {

using nlohmann::json;

SecretObservation Healthy() {
  SecretObservation o;
  o.generation = 3;
  o.decrypts = true;
  o.in_project = true;
  o.visible_in = 2;
  o.content_modified_time = "2026-11-26T10:00:00Z";
  return o;
}

TEST(SecretStatus, HealthySecretIsReadyAndCountsItsProjects) {
  json status = DesiredSecretStatus(json(), Healthy(), "T1");
  EXPECT_EQ(ConditionStatus(status, "Ready"), "True");
  EXPECT_EQ(ConditionStatus(status, "DecryptFailed"), "False");
  EXPECT_EQ(ConditionStatus(status, "Shadowed"), "False");
  EXPECT_EQ(status["visibleIn"], 2);
  EXPECT_EQ(status["observedGeneration"], 3);
  EXPECT_EQ(status["contentModifiedTime"], "2026-11-26T10:00:00Z");
}

TEST(SecretStatus, SameObservationLaterYieldsTheStoredStatusExactly) {
  json first = DesiredSecretStatus(json(), Healthy(), "T1");
  EXPECT_EQ(DesiredSecretStatus(first, Healthy(), "T2"), first);
}

TEST(SecretStatus, TransitionTimeMovesOnlyForConditionsThatFlip) {
  json first = DesiredSecretStatus(json(), Healthy(), "T1");
  SecretObservation broken = Healthy();
  broken.decrypts = false;
  broken.decrypt_problem = "unknown key id k9";
  json second = DesiredSecretStatus(first, broken, "T2");
  EXPECT_EQ(ConditionStatus(second, "Ready"), "False");
  EXPECT_EQ(ConditionStatus(second, "DecryptFailed"), "True");
  for (const json& c : second["conditions"]) {
    const std::string expected = c["type"] == "Shadowed" ? "T1" : "T2";
    EXPECT_EQ(c["lastTransitionTime"], expected) << c["type"];
  }
}

TEST(SecretStatus, ShadowedNamesWhereAndByWhom) {
  SecretObservation o = Healthy();
  o.shadowed = {{"b", {"a", "token"}, {"b", "mine"}}};
  json status = DesiredSecretStatus(json(), o, "T1");
  EXPECT_EQ(ConditionStatus(status, "Shadowed"), "True");
  EXPECT_EQ(ConditionStatus(status, "Ready"), "True") << "hidden elsewhere, still served in its own project";
  const std::string message = ConditionMessage(status, "Shadowed");
  EXPECT_NE(message.find("project \"b\""), std::string::npos);
  EXPECT_NE(message.find("b/mine"), std::string::npos);
}

TEST(SecretStatus, ShadowedInItsOwnProjectIsNotReady) {
  SecretObservation o = Healthy();
  o.shadowed = {{"a", {"a", "newer"}, {"a", "older"}}};
  EXPECT_EQ(ConditionStatus(DesiredSecretStatus(json(), o, "T1"), "Ready"), "False");
}

TEST(SecretStatus, SecretOutsideAProjectIsNotReady) {
  SecretObservation o = Healthy();
  o.in_project = false;
  EXPECT_EQ(ConditionStatus(DesiredSecretStatus(json(), o, "T1"), "Ready"), "False");
}

}  // namespace
}  // namespace ks::op

namespace ks::op {
namespace {

TEST(ShareStatus, ReadyWhenTheSharedSecretExists) {
  ShareObservation o{4, true, "token", "c"};
  nlohmann::json status = DesiredShareStatus(nlohmann::json(), o, "T1");
  EXPECT_EQ(ConditionStatus(status, "Ready"), "True");
  EXPECT_EQ(status["observedGeneration"], 4);
  EXPECT_EQ(DesiredShareStatus(status, o, "T2"), status);
}

TEST(ShareStatus, NotReadyWhenTheSharedSecretIsMissing) {
  nlohmann::json status = DesiredShareStatus(nlohmann::json(), {1, false, "token", "c"}, "T1");
  EXPECT_EQ(ConditionStatus(status, "Ready"), "False");
  EXPECT_NE(ConditionMessage(status, "Ready").find("\"token\""), std::string::npos);
}

}  // namespace
}  // namespace ks::op
