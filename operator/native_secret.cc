#include "operator/native_secret.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>

#include "core/api/constants.h"
#include "core/common/encoding.h"

namespace ks::op {
namespace {

bool SubsetOf(const json& wanted, const json& actual) {
  if (!wanted.is_object()) return wanted == actual;
  if (!actual.is_object()) return false;
  for (const auto& [key, value] : wanted.items()) {
    if (!actual.contains(key) || actual.at(key) != value) return false;
  }
  return true;
}

}  // namespace

std::vector<NativeSecretEntry> StoredEntries(const json& stored,
                                             const std::vector<std::pair<std::string, std::string>>& wanted) {
  std::vector<NativeSecretEntry> entries;
  const json data = stored.value("data", json::object());
  for (const auto& [name, fingerprint] : wanted) {
    const auto value = data.find(name);
    if (value == data.end() || !value->is_string()) continue;
    StatusOr<std::string> plaintext = Base64Decode(value->get<std::string>());
    if (plaintext.ok()) entries.push_back({name, std::move(*plaintext), fingerprint});
  }
  return entries;
}

std::string RevisionOf(const std::vector<NativeSecretEntry>& entries) {
  std::vector<std::string> lines;
  lines.reserve(entries.size());
  for (const NativeSecretEntry& entry : entries) lines.push_back(entry.name + '\0' + entry.fingerprint + '\n');
  std::sort(lines.begin(), lines.end());
  std::string canonical;
  for (const std::string& line : lines) canonical += line;
  return Sha256Hex(canonical).substr(0, 32);
}

std::string JoinedNamesOf(const std::vector<NativeSecretEntry>& entries) {
  std::vector<std::string> names;
  names.reserve(entries.size());
  for (const NativeSecretEntry& entry : entries) names.push_back(entry.name);
  std::sort(names.begin(), names.end());
  return fmt::format("{}", fmt::join(names, ","));
}

json DesiredNativeSecret(const std::string& project, const std::vector<NativeSecretEntry>& entries) {
  json data = json::object();
  for (const NativeSecretEntry& entry : entries) data[entry.name] = Base64Encode(entry.plaintext);
  return {
      {"apiVersion", "v1"},
      {"kind", "Secret"},
      {"type", "Opaque"},
      {"metadata",
       {{"name", api::kNativeSecretName},
        {"namespace", project},
        {"labels", {{api::kManagedByLabel, api::kManagedByValue}}},
        {"annotations",
         {{api::kRevisionAnnotation, RevisionOf(entries)}, {api::kSecretNamesAnnotation, JoinedNamesOf(entries)}}}}},
      {"data", std::move(data)},
  };
}

bool NativeSecretUpToDate(const json& existing, const json& desired) {
  const json empty = json::object();
  auto field = [&](const json& object, const char* pointer) -> const json& {
    const json::json_pointer p(pointer);
    return object.contains(p) ? object.at(p) : empty;
  };
  return field(existing, "/data") == field(desired, "/data") &&
         existing.value("type", "") == desired.value("type", "") &&
         SubsetOf(field(desired, "/metadata/labels"), field(existing, "/metadata/labels")) &&
         SubsetOf(field(desired, "/metadata/annotations"), field(existing, "/metadata/annotations"));
}

json MergeForUpdate(const json& existing, const json& desired) {
  json merged = existing;
  merged["type"] = desired["type"];
  merged["data"] = desired["data"];
  for (const char* map : {"labels", "annotations"}) {
    for (const auto& [key, value] : desired["metadata"][map].items()) merged["metadata"][map][key] = value;
  }
  return merged;
}

}  // namespace ks::op
