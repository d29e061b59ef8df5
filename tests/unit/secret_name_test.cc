#include "core/api/secret_name.h"

#include <gtest/gtest.h>

namespace ks::api {
namespace {

struct NameCase {
  const char* name;
  bool valid;
  const char* problem;  // expected in the message of a refusal
};

class SecretNameRule : public ::testing::TestWithParam<NameCase> {};

TEST_P(SecretNameRule, FollowsTheProductRule) {
  const NameCase& c = GetParam();
  Status status = ValidateSecretName(c.name);
  EXPECT_EQ(status.ok(), c.valid) << c.name;
  if (!c.valid) {
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(status.message().find(c.problem), std::string::npos) << status.message();
    EXPECT_NE(status.message().find(kSecretNameRule), std::string::npos) << "the refusal states the rule";
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, SecretNameRule,
                         ::testing::Values(NameCase{"abc", true, ""}, NameCase{"API-TOKEN", true, ""},
                                           NameCase{"a1-b2-C3", true, ""}, NameCase{"ab", false, "shorter than 3"},
                                           NameCase{"1abc", false, "does not start with a letter"},
                                           NameCase{"-abc", false, "does not start with a letter"},
                                           NameCase{"abc-", false, "ends with a hyphen or underscore"},
                                           NameCase{"abc_", false, "ends with a hyphen or underscore"},
                                           NameCase{"ab_c", false, "other than a Latin letter, digit or hyphen"},
                                           NameCase{"ab.c", false, "other than a Latin letter, digit or hyphen"},
                                           NameCase{"abç", false, "other than a Latin letter, digit or hyphen"},
                                           NameCase{"ab c", false, "other than a Latin letter, digit or hyphen"}));

TEST(SecretNameRule, AcceptsExactly63Characters) { EXPECT_TRUE(ValidateSecretName(std::string(63, 'a')).ok()); }

TEST(SecretNameRule, RefusesNamesLongerThan63) {
  Status status = ValidateSecretName(std::string(64, 'a'));
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("longer than 63"), std::string::npos);
}

}  // namespace
}  // namespace ks::api
