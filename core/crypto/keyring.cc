#include "core/crypto/keyring.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "core/common/encoding.h"

namespace ks::crypto {
namespace {

constexpr std::size_t kMaxKeyIdLength = 32;

Status Invalid(std::string_view what) { return InvalidArgument("keyring: " + std::string(what)); }

// The scalar at `node`, or an error naming `field` (never the node's content).
StatusOr<std::string> Scalar(const YAML::Node& node, std::string_view field) {
  if (!node) return Invalid(std::string(field) + " is missing");
  if (!node.IsScalar()) return Invalid(std::string(field) + " must be a string");
  return node.Scalar();
}

StatusOr<SecretKey> DecodeKey(std::string encoded, std::string_view field) {
  // Surrounding whitespace is harmless (a literal block scalar keeps the final newline).
  const auto first = encoded.find_first_not_of(" \t\r\n");
  const auto last = encoded.find_last_not_of(" \t\r\n");
  StatusOr<std::string> bytes = Base64Decode(
      first == std::string::npos ? std::string_view{} : std::string_view(encoded).substr(first, last - first + 1));
  Wipe(encoded);
  if (!bytes.ok()) return Invalid(std::string(field) + " is not valid base64");
  StatusOr<SecretKey> key = SecretKey::FromBytes(*bytes);
  Wipe(*bytes);
  if (!key.ok()) return Invalid(std::string(field) + ": " + key.status().message());
  return key;
}

struct ParsedKeyring {
  std::string active_id;
  std::map<std::string, SecretKey, std::less<>> keys;
};

StatusOr<ParsedKeyring> ParseDocument(const YAML::Node& root) {
  if (!root.IsMap()) return Invalid("the document must be a map with `active` and `keys`");
  StatusOr<std::string> active = Scalar(root["active"], "active");
  if (!active.ok()) return active.status();

  const YAML::Node keys = root["keys"];
  if (!keys || !keys.IsSequence() || keys.size() == 0) return Invalid("keys must be a non-empty list");

  std::map<std::string, SecretKey, std::less<>> by_id;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::string entry = "keys[" + std::to_string(i) + "]";
    if (!keys[i].IsMap()) return Invalid(entry + " must be a map with `id` and `secret`");
    StatusOr<std::string> id = Scalar(keys[i]["id"], entry + ".id");
    if (!id.ok()) return id.status();
    if (!IsValidKeyId(*id)) {
      return Invalid(entry + ".id must be 1 to 32 characters of lower-case letters, digits and hyphens");
    }
    if (by_id.contains(*id)) return Invalid("key id \"" + *id + "\" appears more than once");
    StatusOr<std::string> encoded = Scalar(keys[i]["secret"], entry + ".secret");
    if (!encoded.ok()) return encoded.status();
    StatusOr<SecretKey> key = DecodeKey(std::move(*encoded), entry + ".secret");
    if (!key.ok()) return key.status();
    by_id.emplace(*id, std::move(*key));
  }
  if (!by_id.contains(*active)) {
    // `active` is shown only when it is a well-formed id: it could be a misplaced secret.
    return Invalid(IsValidKeyId(*active) ? "active key \"" + *active + "\" is not among keys"
                                         : "active must name one of the key ids");
  }
  return ParsedKeyring{std::move(*active), std::move(by_id)};
}

}  // namespace

bool IsValidKeyId(std::string_view id) {
  return !id.empty() && id.size() <= kMaxKeyIdLength && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

StatusOr<Keyring> Keyring::Parse(std::string_view yaml) {
  try {
    StatusOr<ParsedKeyring> parsed = ParseDocument(YAML::Load(std::string(yaml)));
    if (!parsed.ok()) return parsed.status();
    return Keyring(std::move(parsed->active_id), std::move(parsed->keys));
  } catch (const YAML::Exception& e) {
    // yaml-cpp's parser messages are fixed texts plus a position; they do not quote the input.
    return Invalid("not valid YAML at line " + std::to_string(e.mark.line + 1) + ", column " +
                   std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
}

const SecretKey* Keyring::Find(std::string_view id) const {
  auto it = keys_.find(id);
  return it == keys_.end() ? nullptr : &it->second;
}

std::vector<std::string> Keyring::ids() const {
  std::vector<std::string> ids;
  for (const auto& [id, key] : keys_) ids.push_back(id);
  return ids;
}

}  // namespace ks::crypto
