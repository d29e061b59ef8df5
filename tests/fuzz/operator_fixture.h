// The operator's admission handlers over a small fixed cluster, for the secret and share
// harnesses: projects a and b in community c and x elsewhere; a's secrets `shared` (shared into c)
// and `private`, sealed with the fixed keyring so that a copyFrom of them opens. The unit tests'
// FakeCluster holds it; the seed corpora name these objects.
#pragma once

#include "operator/secret_admission.h"
#include "operator/secret_content.h"
#include "operator/share_admission.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/unit/fake_cluster.h"

namespace ks::fuzz {

inline const op::ClusterView& FixedCluster() {
  static const op::FakeCluster cluster = [] {
    const auto sealed = [](const std::string& plaintext, const api::ObjectKey& key) {
      StatusOr<crypto::SealedValue> value = op::SealContent(*FixedKeyring(), plaintext, key);
      Require(value.ok(), "the fixed cluster's values seal");
      return crypto::ToJson(*value);
    };
    op::FakeCluster c;
    c.AddProject("a", "c").AddProject("b", "c").AddProject("x", "elsewhere");
    c.AddSecret("a", "shared", "SHARED", "2026-01-01T00:00:00Z", sealed("from-a", {"a", "shared"}));
    c.AddSecret("a", "private", "PRIVATE", "2026-01-01T00:00:00Z", sealed("private-a", {"a", "private"}));
    c.AddShare("a", "shared", "c", "2026-01-02T00:00:00Z");
    return c;
  }();
  return cluster;
}

inline const op::SecretAdmission& FixedSecretAdmission() {
  static const op::SecretAdmission admission([] { return FixedKeyring(); }, FixedCluster(),
                                              op::ReappliedValues::kKeepStoredCiphertext);
  return admission;
}

// The community admins are the users named admin-of-<community>, and the user named operator may
// update finalizers; the checks never fail.
inline const op::ShareAdmission& FixedShareAdmission() {
  static const op::ShareAdmission admission(
      {.is_community_admin = [](const admission::UserInfo& user, const std::string& community)
           -> StatusOr<bool> { return user.username == "admin-of-" + community; },
       .may_update_finalizers = [](const admission::UserInfo& user, const std::string&)
           -> StatusOr<bool> { return user.username == "operator"; }},
      FixedCluster());
  return admission;
}

}  // namespace ks::fuzz
