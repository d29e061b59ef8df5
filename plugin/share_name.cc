#include "plugin/share_name.h"

#include <cctype>

#include "core/common/encoding.h"

namespace ks::plugin {
namespace {

constexpr std::size_t kMaxObjectName = 253;

std::string Readable(const std::string& community) {
  std::string readable;
  for (unsigned char c : community) {
    readable += std::isalnum(c) ? static_cast<char>(std::tolower(c)) : '-';
  }
  return readable;
}

}  // namespace

std::string ShareName(const std::string& secret, const std::string& community) {
  const std::string readable = Readable(community);
  std::string name = secret + "-" + readable;
  if (readable == community && name.size() <= kMaxObjectName) return name;
  const std::string suffix = "-" + Sha256Hex(community).substr(0, 8);
  name.resize(std::min(name.size(), kMaxObjectName - suffix.size()));
  while (name.ends_with('-')) name.pop_back();
  return name + suffix;
}

}  // namespace ks::plugin
