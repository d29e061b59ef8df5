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

api::ShareView Share(std::string bound_secret_uid = "") {
  api::ShareView share;
  share.key = {"a", "share"};
  share.created_at = "2026-01-02T00:00:00Z";
  share.secret_name = "token";
  share.community = "c";
  share.bound_secret_uid = std::move(bound_secret_uid);
  return share;
}

api::SecretView Token(std::string uid, std::string created_at = "2026-01-01T00:00:00Z") {
  api::SecretView secret;
  secret.key = {"a", "token"};
  secret.uid = std::move(uid);
  secret.created_at = std::move(created_at);
  secret.spec_name = "TOKEN";
  return secret;
}

TEST(ShareStatus, FirstReconcileRecordsTheSecretsUid) {
  const ShareObservation o = ObserveShare(Share(), Token("uid-1"), 4);
  nlohmann::json status = DesiredShareStatus(nlohmann::json(), o, "T1");
  EXPECT_EQ(ConditionStatus(status, "Ready"), "True");
  EXPECT_EQ(status["secretUID"], "uid-1");
  EXPECT_EQ(status["observedGeneration"], 4);
  EXPECT_EQ(DesiredShareStatus(status, o, "T2"), status);
}

TEST(ShareStatus, NotReadyWhenTheSharedSecretIsMissing) {
  nlohmann::json status = DesiredShareStatus(nlohmann::json(), ObserveShare(Share("uid-1"), std::nullopt, 1), "T1");
  EXPECT_EQ(ConditionStatus(status, "Ready"), "False");
  EXPECT_NE(ConditionMessage(status, "Ready").find("\"token\""), std::string::npos);
  EXPECT_EQ(status["secretUID"], "uid-1") << "the binding outlives its secret";
}

TEST(ShareStatus, SecretCreatedAgainIsReportedAndNotBound) {
  nlohmann::json status = DesiredShareStatus(nlohmann::json(), ObserveShare(Share("uid-1"), Token("uid-2"), 1), "T1");
  EXPECT_EQ(ConditionStatus(status, "Ready"), "False");
  EXPECT_EQ(status["conditions"][0]["reason"], "SecretReplaced");
  EXPECT_NE(ConditionMessage(status, "Ready").find("not the secret this share was made for"), std::string::npos);
  EXPECT_EQ(status["secretUID"], "uid-1");
}

TEST(ShareStatus, SecretYoungerThanAnUnboundShareIsNeverBound) {
  const ShareObservation o = ObserveShare(Share(), Token("uid-2", "2026-01-03T00:00:00Z"), 1);
  EXPECT_EQ(o.state, ShareState::kSecretReplaced);
  EXPECT_FALSE(DesiredShareStatus(nlohmann::json(), o, "T1").contains("secretUID"));
}

TEST(ShareStatus, SecretNamedLikeAStartupVariableIsNotShared) {
  api::SecretView secret = Token("uid-1");
  secret.spec_name = "PATH";
  nlohmann::json status = DesiredShareStatus(nlohmann::json(), ObserveShare(Share("uid-1"), secret, 1), "T1");
  EXPECT_EQ(ConditionStatus(status, "Ready"), "False");
  EXPECT_EQ(status["conditions"][0]["reason"], "StartupVariable");
}

TEST(SecretStatus, SecretNamedLikeAStartupVariableIsNotReady) {
  SecretObservation o = Healthy();
  o.startup_variable = "shells read it";
  json status = DesiredSecretStatus(json(), o, "T1");
  EXPECT_EQ(ConditionStatus(status, "Ready"), "False");
  EXPECT_EQ(status["conditions"][0]["reason"], "StartupVariable");
  EXPECT_NE(ConditionMessage(status, "Ready").find("shells read it"), std::string::npos);
}

}  // namespace
}  // namespace ks::op
