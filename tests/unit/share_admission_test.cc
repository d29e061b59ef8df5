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
            [this](const admission::UserInfo& user, const std::string& community) -> StatusOr<bool> {
              asked_.push_back(user.username + "@" + community);
              if (sar_down_) return Unavailable("connection refused");
              return user.username == "admin-of-" + community;
            },
            cluster_) {
    cluster_.AddProject("a", "c").AddSecret("a", "token", "TOKEN", "2026-01-01T00:00:00Z");
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

TEST_F(ShareAdmissionTest, SharedSecretMustExistInTheSameNamespace) {
  AdmissionDecision d = admission_.Validate(Request("CREATE", "admin-of-c", "missing", "c"));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.code, 422);
  EXPECT_NE(d.message.find("spec.secretName"), std::string::npos);
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

TEST_F(ShareAdmissionTest, DeletingShareIsNeverBlocked) {
  AdmissionRequest r = Request("UPDATE", "operator", "token", "c");
  r.object["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z";
  r.old_object = r.object;
  EXPECT_TRUE(admission_.Validate(r).allowed);
}

}  // namespace
}  // namespace ks::op
