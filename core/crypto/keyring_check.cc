#include "core/crypto/keyring_check.h"

#include <map>

namespace ks::crypto {
namespace {

std::string Values(std::size_t count) { return std::to_string(count) + (count == 1 ? " stored value" : " stored values"); }

// True when some of the first kKeyCheckSample values unwraps under `candidate`.
bool OpensAnyOf(const Keyring& candidate, const std::vector<const StoredValue*>& values) {
  for (std::size_t i = 0; i < values.size() && i < kKeyCheckSample; ++i) {
    if (VerifyWrappedKey(candidate, values[i]->sealed, values[i]->associated_data).ok()) return true;
  }
  return false;
}

Status CheckKeyId(const Keyring& candidate, const Keyring* current, const std::string& id,
                  const std::vector<const StoredValue*>& values) {
  const std::string wraps = "key \"" + id + "\", which wraps " + Values(values.size());
  const SecretKey* key = candidate.Find(id);
  if (key == nullptr) {
    return FailedPrecondition("the new keyring has no " + wraps +
                              "; keep a key in the keyring until no value uses it (docs/crypto.md#key-rotation)");
  }
  const SecretKey* in_use = current == nullptr ? nullptr : current->Find(id);
  if (in_use != nullptr) {
    if (in_use->view() == key->view()) return Status::Ok();
    return FailedPrecondition("the new keyring gives other bytes to " + wraps +
                              "; a key id must keep its bytes: add a key under a new id instead "
                              "(docs/crypto.md#key-rotation)");
  }
  if (OpensAnyOf(candidate, values)) return Status::Ok();
  return FailedPrecondition("the keyring's " + wraps +
                            ", unwraps none of their data keys: its bytes are not those the values were sealed "
                            "with (was the keyring Secret generated again?)");
}

}  // namespace

Status CheckKeyringReplacement(const Keyring& candidate, const Keyring* current, const std::vector<StoredValue>& stored) {
  std::map<std::string, std::vector<const StoredValue*>> by_key_id;
  for (const StoredValue& value : stored) by_key_id[value.sealed.key_id].push_back(&value);
  for (const auto& [id, values] : by_key_id) {
    if (Status s = CheckKeyId(candidate, current, id, values); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace ks::crypto
