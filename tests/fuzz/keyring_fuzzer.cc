// The keyring parser (core/crypto/keyring.h): the YAML of the keyring Secret, reloaded by the
// watcher whenever the file changes. yaml-cpp is Debian's, not instrumented: coverage guidance
// comes from the product's code only.
#include <algorithm>

#include "core/crypto/keyring.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ks::StatusOr<ks::crypto::Keyring> keyring = ks::crypto::Keyring::Parse(ks::fuzz::Text(data, size));
  if (!keyring.ok()) return 0;
  const std::vector<std::string> ids = keyring->ids();
  ks::fuzz::Require(std::is_sorted(ids.begin(), ids.end()), "ids are sorted");
  ks::fuzz::Require(keyring->Find(keyring->active_id()) == &keyring->active_key(), "the active key is in the keyring");
  for (const std::string& id : ids) ks::fuzz::Require(ks::crypto::IsValidKeyId(id), "every id is valid");
  return 0;
}
