// Gauges over the cached Secret CRs, computed at each scrape: how many values each keyring key
// seals (a key rotation is done when the old key's count reaches zero, docs/operations.md#key-rotation)
// and how many secrets cannot be decrypted.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/metrics/registry.h"
#include "operator/cluster_cache.h"

namespace ks::op {

struct SecretCounts {
  std::map<std::string, int> by_key_id;  // well-formed spec.encrypted.keyId -> secrets sealed under it
  int decrypt_failed = 0;                // condition DecryptFailed is True
};

SecretCounts CountSecrets(const std::vector<ClusterCache::Object>& secrets);

// Sets kernel_secrets_secrets_by_key{key_id} and kernel_secrets_secrets_decrypt_failed from
// `cache` before every exposition of `metrics`, until the hook is destroyed. A key id that no
// longer seals anything stays exposed, at zero, so that a rotation's end is visible.
metrics::ScrapeHook ExposeSecretCounts(const ClusterCache& cache, metrics::Registry& metrics);

}  // namespace ks::op
