// The per-project native Secret `kernel-secrets` that kernel pods receive through envFrom: its
// desired content as a pure function of the project's visible, decrypted secrets, and the test
// that tells whether the stored one already says the same (so a resync writes nothing).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ks::op {

using nlohmann::json;

struct NativeSecretEntry {
  std::string name;         // spec.name: the environment variable
  std::string plaintext;    // the decrypted value
  std::string fingerprint;  // of the stored ciphertext, never of the value
};

// The entries `stored` (a native Secret as read) holds for each (name, fingerprint) of `wanted`, with
// that fingerprint; names it lacks are skipped. For secrets that do not decrypt at the moment, whose
// values the kernels keep meanwhile.
std::vector<NativeSecretEntry> StoredEntries(const json& stored,
                                             const std::vector<std::pair<std::string, std::string>>& wanted);

// A hash over the entries' names and fingerprints: which content a kernel got, never values.
// Independent of the entries' order.
std::string RevisionOf(const std::vector<NativeSecretEntry>& entries);

// "A,B,C": the entries' names, sorted. The native Secret carries them in an annotation, so that the
// injector learns them from metadata alone and never receives a value.
std::string JoinedNamesOf(const std::vector<NativeSecretEntry>& entries);

// The complete native Secret for `project` (names must be unique: the visible set guarantees it).
json DesiredNativeSecret(const std::string& project, const std::vector<NativeSecretEntry>& entries);

// True when `existing` already holds the desired data, type, labels and annotations; fields that
// others own (other labels or annotations, metadata set by the server) are ignored.
bool NativeSecretUpToDate(const json& existing, const json& desired);

// `desired` written over `existing`, keeping what others own, ready for an Update (PUT).
json MergeForUpdate(const json& existing, const json& desired);

}  // namespace ks::op
