#include "core/crypto/base64.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace ks::crypto {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::uint8_t kInvalid = 0xff;

constexpr std::array<std::uint8_t, 256> MakeDecodeTable() {
  std::array<std::uint8_t, 256> table{};
  table.fill(kInvalid);
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::uint8_t>(i);
  }
  return table;
}
constexpr auto kDecodeTable = MakeDecodeTable();

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t group = 0;
    for (std::size_t j = 0; j < 3; ++j) {
      group = (group << 8) | (j < n ? static_cast<unsigned char>(bytes[i + j]) : 0u);
    }
    for (std::size_t j = 0; j < 4; ++j) {
      out.push_back(j <= n ? kAlphabet[(group >> (18 - 6 * j)) & 0x3f] : '=');
    }
  }
  return out;
}

StatusOr<std::string> Base64Decode(std::string_view text) {
  const Status invalid = InvalidArgument("not valid base64");
  if (text.size() % 4 != 0) return invalid;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last_group = i + 4 == text.size();
    std::size_t padding = 0;
    std::uint32_t group = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const char c = text[i + j];
      std::uint8_t sextet = 0;
      if (c == '=') {
        // Padding only closes the last group, and at most its two last characters.
        if (!last_group || j < 2) return invalid;
        ++padding;
      } else {
        if (padding > 0) return invalid;
        sextet = kDecodeTable[static_cast<unsigned char>(c)];
        if (sextet == kInvalid) return invalid;
      }
      group = (group << 6) | sextet;
    }
    // The bits a padded group does not use must be zero, or two texts would decode alike.
    if (padding == 1 && (group & 0xff) != 0) return invalid;
    if (padding == 2 && (group & 0xffff) != 0) return invalid;
    for (std::size_t j = 0; j < 3 - padding; ++j) {
      out.push_back(static_cast<char>((group >> (16 - 8 * j)) & 0xff));
    }
  }
  return out;
}

}  // namespace ks::crypto
