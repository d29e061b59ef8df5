#include "operator/secret_metrics.h"

#include <memory>
#include <set>

#include "core/api/resources.h"
#include "core/common/json_fields.h"
#include "core/crypto/keyring.h"
#include "operator/cache_transforms.h"
#include "operator/status.h"

namespace ks::op {

SecretCounts CountSecrets(const std::vector<ClusterCache::Object>& secrets) {
  static const nlohmann::json::json_pointer kKeyId("/keyId");
  SecretCounts counts;
  for (const ClusterCache::Object& secret : secrets) {
    // Only well-formed ids become label values: a keyId written past the webhooks could otherwise
    // add any number of series.
    const std::string key_id = StringAt(api::EncryptedJson(api::ViewSecret(*secret)), kKeyId);
    if (crypto::IsValidKeyId(key_id)) ++counts.by_key_id[key_id];
    if (ConditionStatus(CachedSecretStatus(*secret), "DecryptFailed") == "True") ++counts.decrypt_failed;
  }
  return counts;
}

metrics::ScrapeHook ExposeSecretCounts(const ClusterCache& cache, metrics::Registry& metrics) {
  metrics::Gauge& decrypt_failed = metrics.GetGauge(
      "kernel_secrets_secrets_decrypt_failed",
      "Secret custom resources whose value does not decrypt with the keyring (condition DecryptFailed).");
  // The scrapes of one registry run one at a time, so the hook owns its state alone.
  auto seen_key_ids = std::make_shared<std::set<std::string>>();
  return metrics.OnScrape([&cache, &metrics, &decrypt_failed, seen_key_ids] {
    const SecretCounts counts = CountSecrets(cache.AllSecretObjects());
    decrypt_failed.Set(counts.decrypt_failed);
    for (const auto& [key_id, count] : counts.by_key_id) seen_key_ids->insert(key_id);
    for (const std::string& key_id : *seen_key_ids) {
      const auto it = counts.by_key_id.find(key_id);
      metrics
          .GetGauge("kernel_secrets_secrets_by_key",
                    "Secret custom resources whose value is sealed under a keyring key, by key id.",
                    {{"key_id", key_id}})
          .Set(it == counts.by_key_id.end() ? 0 : it->second);
    }
  });
}

}  // namespace ks::op
