#include "operator/share_admission.h"

#include <gtest/gtest.h>

#include "tests/unit/fake_cluster.h"

namespace ks::op {
namespace {

using admission::AdmissionDecision;
using admission::AdmissionRequest;
using nlohmann::json;

class ShareAdmissionTest : public ::testing::Test {
 protected:
  ShareAdmissionTest()
      : admission_(
            {.is_community_admin = [this](const admission::UserInfo& user,
                                          const std::string& community) -> StatusOr<bool> {
               asked_.push_back(user.username + "@" + community);
               if (sar_down_) return Unavailable("connection refused");
               return user.username == "admin-of-" + community;
             },
             .may_update_finalizers = [this](const admission::UserInfo& user, const std::string& ns) -> StatusOr<bool> {
               asked_.push_back(user.username + " finalizers in " + ns);
               if (sar_down_) return Unavailable("connection refused");
               return user.username == "operator";
             }},
            cluster_) {
    cluster_.AddProject("a", "c")
        .AddSecret("a", "token", "TOKEN", "2026-01-01T00:00:00Z")
        .AddSecret("a", "path", "PYTHONPATH", "2026-01-01T00:00:00Z");
  }

  // An UPDATE of the stored share `Request("CREATE", ...)` describes, with the operator's finalizer.
  static AdmissionRequest Update(const std::string& user, json object) {
    AdmissionRequest r = Request("UPDATE", user, "token", "c");
    r.old_object = r.object;
    r.old_object["metadata"]["finalizers"] = {"kernelsecrets.dev/finalizer"};
    r.object = std::move(object);
    return r;
  }

  static json Stored() {
    json object = Request("CREATE", "", "token", "c").object;
    object["metadata"]["finalizers"] = {"kernelsecrets.dev/finalizer"};
    return object;
  }

  static json Deleting(json object) {
    object["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z";
    return object;
  }

  static json WithoutFinalizer(json object) {
    object["metadata"]["finalizers"] = json::array();
    return object;
  }

  static AdmissionRequest Request(const std::string& operation, const std::string& user, const std::string& secret,
                                  const std::string& community, const std::string& ns = "a") {
    AdmissionRequest r;
    r.operation = operation;
    r.ns = ns;
    r.user_info.username = user;
    r.object = {{"metadata", {{"namespace", ns}, {"name", "share"}}},
                {"spec", {{"secretName", secret}, {"community", community}}}};
    return r;
  }

  FakeCluster cluster_;
  std::vector<std::string> asked_;
  bool sar_down_ = false;
  ShareAdmission admission_;
};

TEST_F(ShareAdmissionTest, CommunityAdminMayShare) {
  AdmissionDecision d = admission_.Validate(Request("CREATE", "admin-of-c", "token", "c"));
  EXPECT_TRUE(d.allowed) << d.message;
  EXPECT_EQ(asked_, std::vector<std::string>{"admin-of-c@c"});
}

TEST_F(ShareAdmissionTest, AnyoneElseGetsTheProductsWords) {
  AdmissionDecision d = admission_.Validate(Request("CREATE", "alice", "token", "c"));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.code, 403);
  EXPECT_EQ(d.message, "Only a community admin can share a secret in the community.");
}

TEST_F(ShareAdmissionTest, AdminOfAnotherCommunityIsRefused) {
  EXPECT_FALSE(admission_.Validate(Request("CREATE", "admin-of-other", "token", "c")).allowed);
}

TEST_F(ShareAdmissionTest, MovingAShareNeedsAdminRightsOnBothCommunities) {
  AdmissionRequest r = Request("UPDATE", "admin-of-c2", "token", "c2");
  r.old_object = Request("CREATE", "", "token", "c").object;
  AdmissionDecision d = admission_.Validate(r);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(asked_, (std::vector<std::string>{"admin-of-c2@c2", "admin-of-c2@c"}));
}

TEST_F(ShareAdmissionTest, AShareOfASecretNotSeenYetIsAdmittedToWaitForIt) {
  EXPECT_TRUE(admission_.Validate(Request("CREATE", "admin-of-c", "created-a-moment-ago", "c")).allowed);
}

TEST_F(ShareAdmissionTest, AShareMustNameASecret) {
  AdmissionDecision d = admission_.Validate(Request("CREATE", "admin-of-c", "", "c"));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.code, 422);
  EXPECT_NE(d.message.find("spec.secretName is empty"), std::string::npos);
}

TEST_F(ShareAdmissionTest, OnlyAProjectCanShare) {
  AdmissionDecision d = admission_.Validate(Request("CREATE", "admin-of-c", "token", "c", "plain"));
  EXPECT_FALSE(d.allowed);
  EXPECT_NE(d.message.find("is not a project"), std::string::npos);
}

TEST_F(ShareAdmissionTest, CommunityMustBeALabelValue) {
  AdmissionDecision d = admission_.Validate(Request("CREATE", "admin-of-c", "token", "bad community!"));
  EXPECT_FALSE(d.allowed);
  EXPECT_NE(d.message.find("label value"), std::string::npos);
  EXPECT_TRUE(asked_.empty()) << "no access review for a malformed request";
}

TEST_F(ShareAdmissionTest, UnavailableAccessReviewFailsClosed) {
  sar_down_ = true;
  AdmissionDecision d = admission_.Validate(Request("CREATE", "admin-of-c", "token", "c"));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.code, 503);
}

TEST_F(ShareAdmissionTest, OperatorRemovesTheFinalizerOfADeletingShare) {
  AdmissionDecision d = admission_.Validate(Update("operator", WithoutFinalizer(Deleting(Stored()))));
  EXPECT_TRUE(d.allowed) << d.message;
  EXPECT_EQ(asked_, std::vector<std::string>{"operator finalizers in a"});
}

TEST_F(ShareAdmissionTest, EditorCannotRemoveTheFinalizerOfADeletingShare) {
  AdmissionDecision d = admission_.Validate(Update("alice", WithoutFinalizer(Deleting(Stored()))));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.code, 403);
  EXPECT_NE(d.message.find("metadata.finalizers: kernelsecrets.dev/finalizer is removed by kernel-secrets"),
            std::string::npos)
      << d.message;
}

TEST_F(ShareAdmissionTest, CommunityAdminCannotRemoveTheFinalizerEither) {
  AdmissionDecision d = admission_.Validate(Update("admin-of-c", WithoutFinalizer(Stored())));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.code, 403);
}

TEST_F(ShareAdmissionTest, UnavailableFinalizerReviewFailsClosed) {
  sar_down_ = true;
  EXPECT_EQ(admission_.Validate(Update("operator", WithoutFinalizer(Deleting(Stored())))).code, 503);
}

TEST_F(ShareAdmissionTest, OtherUpdatesOfADeletingShareAreNotBlocked) {
  json labelled = Deleting(Stored());
  labelled["metadata"]["labels"] = {{"team", "x"}};
  AdmissionDecision d = admission_.Validate(Update("alice", labelled));
  EXPECT_TRUE(d.allowed) << d.message;
  EXPECT_TRUE(asked_.empty());
}

TEST_F(ShareAdmissionTest, SharedSecretCannotBeChanged) {
  json retargeted = Stored();
  retargeted["spec"]["secretName"] = "other";
  AdmissionDecision d = admission_.Validate(Update("admin-of-c", retargeted));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.code, 422);
  EXPECT_NE(d.message.find("spec.secretName cannot be changed"), std::string::npos) << d.message;
}

TEST_F(ShareAdmissionTest, SecretNamedLikeAStartupVariableCannotBeShared) {
  AdmissionDecision d = admission_.Validate(Request("CREATE", "admin-of-c", "path", "c"));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.code, 422);
  EXPECT_NE(d.message.find("secrets.kernelsecrets.dev \"path\" cannot be shared: secret name \"PYTHONPATH\" is "
                           "refused: the Python interpreter"),
            std::string::npos)
      << d.message;
}

}  // namespace
}  // namespace ks::op
