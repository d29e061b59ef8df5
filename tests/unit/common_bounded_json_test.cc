// ParseBoundedJson: what it accepts is what nlohmann's own parser accepts (within the limits), and
// a projection builds only what it names while the rest is still checked.
#include "core/common/bounded_json.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace ks {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json Parsed(std::string_view text, const JsonProjection& projection = JsonProjection::Whole()) {
  StatusOr<json> value = ParseBoundedJson(text, kDefaultMaxJsonDepth, projection);
  EXPECT_TRUE(value.ok()) << value.status().ToString();
  return value.ok() ? *value : json();
}

// Texts at the edges of the grammar, valid and not: each must be accepted exactly when nlohmann's
// parser accepts it, since the parser under ParseBoundedJson is another library.
TEST(ParseBoundedJson, AcceptsExactlyWhatNlohmannAccepts) {
  const std::vector<std::string> texts = {
      "", " ", "{}", "[]", "null", "true", "false", "nul", "truex", "0", "-0", "01", "-", "1.", ".5", "+1", "1e",
      "1e+", "1e5", "1E-5", "-1.5e+3", "0x10", "18446744073709551615", "18446744073709551616",
      "-9223372036854775809", "[1,]", "[,1]", "{,}", R"({"a":1,})", R"({"a" 1})", R"({a:1})", "[1 2]", "{} {}",
      "[] ", " \t\r\n[]\n", "[1]x", R"("abc)", R"("\x")", R"("\u12")", R"("\u0041")", R"("\ud83d\ude00")",
      R"("\ud800")", R"("\udc00")", R"("\ud800\u0041")", "\"tab\there\"", "\"\x7f\"", "\"\xc3\xa9\"",
      "\"\xe2\x82\xac\"", "\"\xf0\x9f\x98\x80\"", "\"\xc3\"", "\"\xff\"", "\"\xed\xa0\x80\"", "\"\xc0\xaf\"",
      "\"\xf4\x90\x80\x80\"", "[\"a\",{\"b\":[null,true,1.25,\"c\"]}]", "{\"\":0}", "'a'", "NaN", "Infinity",
      "[1,2", "{\"a\":", "/* c */ 1",
  };
  for (const std::string& text : texts) {
    EXPECT_EQ(ParseBoundedJson(text).ok(), json::accept(text)) << "text: " << text;
  }
}

TEST(ParseBoundedJson, ReadsTheSameValueAsNlohmann) {
  const std::string text =
      R"({"s":"a\"b\\c\u00e9\n","i":-42,"u":18446744073709551615,"d":0.1,"e":1e300,"b":[true,false,null],)"
      R"("o":{"nested":{"k":[]}},"big":123456789012345678901234567890,"zero":0e-113,"tiny":1e-400,"neg":-9223372036854775809})";
  const json value = Parsed(text);
  EXPECT_EQ(value, json::parse(text));
  // Of the same types, which decide how a value is written back.
  EXPECT_TRUE(value["i"].is_number_integer() && !value["i"].is_number_unsigned());
  EXPECT_TRUE(value["u"].is_number_unsigned());
  EXPECT_TRUE(value["d"].is_number_float());
  EXPECT_EQ(value.dump(), json::parse(text).dump());
}

TEST(ParseBoundedJson, ReadsEveryAdmissionFixtureAsNlohmannDoes) {
  int read = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(KS_FIXTURES_DIR) / "admission")) {
    std::ifstream file(entry.path(), std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    if (!json::accept(text.str())) continue;  // the malformed review
    EXPECT_EQ(Parsed(text.str()), json::parse(text.str())) << entry.path();
    ++read;
  }
  EXPECT_GE(read, 20);
}

TEST(ParseBoundedJson, NamesTheOffsetOfAnErrorAndNeverQuotesTheText) {
  StatusOr<json> value = ParseBoundedJson(R"({"token":"hunter2",})");
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.status().message(), "not valid JSON (error at byte 19)");
}

// RapidJSON ends its input at a NUL; one in the middle must not hide what follows it.
TEST(ParseBoundedJson, RefusesANulAnywhere) {
  for (const std::string& text : {std::string("{}\0{", 3), std::string("[1]\0", 4), std::string("\"a\0b\"", 5)}) {
    StatusOr<json> value = ParseBoundedJson(text);
    ASSERT_FALSE(value.ok());
    EXPECT_NE(value.status().message().find("not valid JSON"), std::string::npos) << value.status().message();
  }
}

TEST(JsonProjection, KeepsWhatItNamesAndWhatIsOnTheWayToIt) {
  const std::string text = R"({"a":{"b":1,"c":2},"d":[{"e":1,"f":2},{"e":[3]},{"f":4}],"g":"x","h":{"i":{"j":1}}})";
  EXPECT_EQ(Parsed(text, JsonProjection::Only({"a.b", "d.e", "h"})),
            json::parse(R"({"a":{"b":1},"d":[{"e":1},{"e":[3]},{}],"h":{"i":{"j":1}}})"));
  EXPECT_EQ(Parsed(text, JsonProjection()), json::object());
  EXPECT_EQ(Parsed(text, JsonProjection::Whole()), json::parse(text));
}

// What a reader would refuse as of the wrong type stays, so that the reader still sees it.
TEST(JsonProjection, KeepsAValueOfAnotherTypeThanAnObjectAsItIs) {
  const JsonProjection projection = JsonProjection::Only({"a.b"});
  EXPECT_EQ(Parsed(R"({"a":5})", projection), json::parse(R"({"a":5})"));
  EXPECT_EQ(Parsed(R"({"a":[1,{"b":2,"c":3},"s"]})", projection), json::parse(R"({"a":[1,{"b":2},"s"]})"));
  EXPECT_EQ(Parsed("[1,2]", projection), json::parse("[1,2]"));
}

TEST(JsonProjection, SetReplacesWhatIsKeptAtAPath) {
  JsonProjection projection = JsonProjection::Only({"request.uid"});
  projection.Set("request.object", JsonProjection::Only({"metadata.labels"}));
  EXPECT_EQ(Parsed(R"({"request":{"uid":"u","object":{"metadata":{"labels":{"a":"b"},"name":"n"},"spec":{}}},"x":1})",
                   projection),
            json::parse(R"({"request":{"uid":"u","object":{"metadata":{"labels":{"a":"b"}}}}})"));
}

// What is dropped is still JSON within the limits; only the checks that serve a reader of the
// value (duplicate keys, UTF-8) are left to what is kept.
TEST(JsonProjection, WhatItDropsIsStillCheckedForSyntaxDepthAndNumbers) {
  const JsonProjection keep_a = JsonProjection::Only({"a"});
  EXPECT_FALSE(ParseBoundedJson(R"({"a":1,"b":[1,}})", kDefaultMaxJsonDepth, keep_a).ok());
  EXPECT_FALSE(ParseBoundedJson(R"({"a":1,"b":1e999})", kDefaultMaxJsonDepth, keep_a).ok());
  const std::string deep = R"({"a":1,"b":)" + std::string(64, '[') + std::string(64, ']') + "}";
  StatusOr<json> too_deep = ParseBoundedJson(deep, kDefaultMaxJsonDepth, keep_a);
  ASSERT_FALSE(too_deep.ok());
  EXPECT_EQ(too_deep.status().message(), "JSON nested deeper than 64 levels");

  EXPECT_EQ(Parsed(R"({"a":1,"b":{"k":1,"k":2}})", keep_a), json::parse(R"({"a":1})"));
  EXPECT_FALSE(ParseBoundedJson(R"({"a":{"k":1,"k":2}})", kDefaultMaxJsonDepth, keep_a).ok());
  EXPECT_EQ(Parsed("{\"a\":1,\"b\":\"\xff\"}", keep_a), json::parse(R"({"a":1})"));
  EXPECT_FALSE(ParseBoundedJson("{\"a\":\"\xff\"}", kDefaultMaxJsonDepth, keep_a).ok());
  EXPECT_FALSE(ParseBoundedJson("{\"a\":{\"\xff\":1}}", kDefaultMaxJsonDepth, keep_a).ok());
}

}  // namespace
}  // namespace ks
