#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "plugin/value_input.h"

namespace ks::plugin {
namespace {

TEST(PluginValueInput, OneFinalNewlineIsDropped) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"abc\n", "abc"},
      {"abc\r\n", "abc"},
      {"abc", "abc"},
      {"abc\n\n", "abc\n"},
      {"abc\r", "abc\r"},
      {" a b \n", " a b "},
      {"line1\nline2\n", "line1\nline2"},
  };
  for (const auto& [raw, expected] : cases)
    EXPECT_EQ(WithoutFinalNewline(raw), expected) << ::testing::PrintToString(raw);
}

TEST(PluginValueInput, ReadsStandardInput) {
  std::istringstream in("from-stdin\n");
  StatusOr<std::string> value = ReadValue(ValueSource::kStdin, "", in, "");
  ASSERT_TRUE(value.ok()) << value.status().message();
  EXPECT_TRUE(*value == "from-stdin");
}

TEST(PluginValueInput, ReadsAFile) {
  const std::string path = ::testing::TempDir() + "/plugin_value";
  std::ofstream(path, std::ios::binary) << "from-file\r\n";
  std::istringstream unused;
  StatusOr<std::string> value = ReadValue(ValueSource::kFile, path, unused, "");
  std::remove(path.c_str());
  ASSERT_TRUE(value.ok()) << value.status().message();
  EXPECT_TRUE(*value == "from-file");
}

TEST(PluginValueInput, EmptyOrUnreadableInputIsRefused) {
  std::istringstream just_newline("\n");
  EXPECT_EQ(ReadValue(ValueSource::kStdin, "", just_newline, "").status().code(), StatusCode::kInvalidArgument);
  std::istringstream unused;
  StatusOr<std::string> missing = ReadValue(ValueSource::kFile, "/nonexistent/value", unused, "");
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("/nonexistent/value"), std::string::npos);
}

}  // namespace
}  // namespace ks::plugin
