// What the operator's caches keep of each kind of object (kube::InformerOptions::transform): only
// what the reconciler, the webhooks and the work keys read, so that memory grows with what the
// operator uses, not with what others write into the objects. Each keeps metadata.namespace,
// name, resourceVersion and uid. Pure functions.
#pragma once

#include <nlohmann/json.hpp>

namespace ks::op {

// Without the records of who wrote what: metadata.managedFields and kubectl's last-applied
// annotation. For Secret and SecretShare custom resources and notebook-server pods' metadata;
// spec and status stay whole, because the reconciler compares the whole status with the one it
// wants before writing.
void TrimWriteRecords(nlohmann::json& object);

// Secret custom resources: TrimWriteRecords, and two objects kept as their JSON text, a string in
// their place, a third of the bytes their trees take (docs/benchmarks.md):
// - the status: only the reconciler's comparison with the status it wants and the scrape-time
//   counts read it, each through CachedSecretStatus;
// - spec.encrypted: api::ViewSecret takes the text as it is (SecretView::encrypted), and only
//   where a value is opened or its key id counted is it parsed (api::EncryptedJson).
// Metadata and the rest of the spec, which every view reads, stay trees.
void TrimSecret(nlohmann::json& object);

// The status of a Secret custom resource as TrimSecret cached it, or as served (an object not
// transformed); an empty object when it has none or its text does not parse.
nlohmann::json CachedSecretStatus(const nlohmann::json& object);

// The managed native Secrets: without metadata.managedFields. Their annotations stay, because a
// write of the native Secret puts back the stored one with our changes merged in, and must keep
// what others annotated.
void TrimNativeSecret(nlohmann::json& object);

// Namespaces: their metadata without managedFields and annotations (a project is told by its
// labels), no spec or status.
void TrimNamespace(nlohmann::json& object);

}  // namespace ks::op
