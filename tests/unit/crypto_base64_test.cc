#include "core/crypto/base64.h"

#include <gtest/gtest.h>

namespace ks::crypto {
namespace {

struct Rfc4648Vector {
  std::string bytes;
  std::string text;
};

TEST(Base64, EncodesAndDecodesRfc4648Vectors) {
  for (const auto& [bytes, text] : std::vector<Rfc4648Vector>{{"", ""},
                                                               {"f", "Zg=="},
                                                               {"fo", "Zm8="},
                                                               {"foo", "Zm9v"},
                                                               {"foob", "Zm9vYg=="},
                                                               {"fooba", "Zm9vYmE="},
                                                               {"foobar", "Zm9vYmFy"},
                                                               {std::string("\0\xff\xfe", 3), "AP/+"}}) {
    EXPECT_EQ(Base64Encode(bytes), text);
    StatusOr<std::string> decoded = Base64Decode(text);
    ASSERT_TRUE(decoded.ok()) << text;
    EXPECT_EQ(*decoded, bytes);
  }
}

TEST(Base64, RefusesAnythingButCanonicalPaddedBase64) {
  for (const std::string text : {"Zg", "Zg=", "Zm9v\n", " Zm9v", "Zm9v====", "Z===", "Zg==Zm9v", "Zm=v",
                                 "Zh==",  // spare bits set: would decode like "Zg=="
                                 "Zm9-", "Zm9_"}) {
    StatusOr<std::string> decoded = Base64Decode(text);
    ASSERT_FALSE(decoded.ok()) << text;
    EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(decoded.status().message(), "not valid base64");
  }
}

}  // namespace
}  // namespace ks::crypto
