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

// Names the syntax allows that programs read when they start.
class StartupVariableName : public ::testing::TestWithParam<const char*> {};

TEST_P(StartupVariableName, IsRefusedWithTheProgramAndTheRule) {
  ASSERT_TRUE(ValidateSecretName(GetParam()).ok()) << "the syntax alone lets " << GetParam() << " through";
  Status status = ValidateNameIsNotStartupVariable(GetParam());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << GetParam();
  EXPECT_NE(status.message().find("\"" + std::string(GetParam()) + "\" is refused: "), std::string::npos)
      << status.message();
  EXPECT_NE(status.message().find(kStartupNameRule), std::string::npos) << "the refusal states the rule";
}

INSTANTIATE_TEST_SUITE_P(WritableToday, StartupVariableName,
                         ::testing::Values("PATH", "HOME", "ENV", "IFS", "PS4", "CDPATH", "SHELLOPTS", "BASHOPTS",
                                           "GLOBIGNORE", "PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME", "PYTHONSAFEPATH",
                                           "PYTHONSOMEDAY", "IPYTHONDIR", "TMPDIR", "LOCPATH", "HOSTALIASES",
                                           "LOCALDOMAIN", "NLSPATH", "TZDIR", "PERL5LIB", "PERL5OPT", "RUBYOPT",
                                           "CLASSPATH"));

TEST(StartupVariableName, NamesEachProgram) {
  EXPECT_NE(WhyNameChangesStartup("PYTHONPATH")->find("python3(1)"), std::string::npos);
  EXPECT_NE(WhyNameChangesStartup("ENV")->find("bash(1), dash(1)"), std::string::npos);
  EXPECT_NE(WhyNameChangesStartup("TMPDIR")->find("ld.so(8)"), std::string::npos);
  EXPECT_NE(WhyNameChangesStartup("IPYTHONDIR")->find("IPython"), std::string::npos);
  EXPECT_NE(WhyNameChangesStartup("PERL5LIB")->find("Perl"), std::string::npos);
}

TEST(StartupVariableName, ListHoldsTheNamesTheSyntaxRefusesToo) {
  for (const char* name :
       {"LD_PRELOAD", "LD_LIBRARY_PATH", "GCONV_PATH", "BASH_ENV", "BASH_FUNC_ls%%", "JUPYTER_CONFIG_DIR",
        "NODE_OPTIONS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "R_PROFILE_USER", "GLIBC_TUNABLES", "MALLOC_ARENA_MAX"}) {
    EXPECT_TRUE(WhyNameChangesStartup(name).has_value()) << name;
  }
}

TEST(StartupVariableName, OtherNamesAreAccepted) {
  // Case-sensitive as the programs are; a hyphen makes another variable, which no program reads.
  for (const char* name : {"Path", "path", "home", "Pythonpath", "PYTHON-TOKEN", "NODE-OPTIONS", "LD-PRELOAD",
                           "MY-PATH", "PATHS", "HOMEPAGE", "ENV-NAME", "API-TOKEN", "JUPYTERHUB-TOKEN"}) {
    EXPECT_TRUE(ValidateNameIsNotStartupVariable(name).ok()) << name;
  }
}

}  // namespace
}  // namespace ks::api
