#include "core/kube/object_cache.h"

#include <utility>

#include "core/kube/object.h"

namespace ks::kube {

ObjectPtr ObjectCache::Upsert(ObjectPtr object) {
  ObjectPtr& slot = by_namespace_[MetadataField(*object, "namespace")][MetadataField(*object, "name")];
  return std::exchange(slot, std::move(object));
}

ObjectPtr ObjectCache::Remove(const nlohmann::json& object) {
  const auto names = by_namespace_.find(MetadataField(object, "namespace"));
  if (names == by_namespace_.end()) return nullptr;
  const auto it = names->second.find(MetadataField(object, "name"));
  if (it == names->second.end()) return nullptr;
  ObjectPtr removed = std::move(it->second);
  names->second.erase(it);
  if (names->second.empty()) by_namespace_.erase(names);
  return removed;
}

std::vector<CacheDelta> ObjectCache::Replace(std::vector<ObjectPtr> objects) {
  std::map<std::string, Names> fresh;
  for (ObjectPtr& object : objects) {
    fresh[MetadataField(*object, "namespace")][MetadataField(*object, "name")] = std::move(object);
  }

  std::vector<CacheDelta> deltas;
  for (const auto& [ns, names] : by_namespace_) {
    const auto fresh_names = fresh.find(ns);
    for (const auto& [name, old_object] : names) {
      if (fresh_names == fresh.end() || !fresh_names->second.contains(name)) {
        deltas.push_back({CacheDelta::Type::kDeleted, old_object, nullptr});
      }
    }
  }
  for (const auto& [ns, names] : fresh) {
    for (const auto& [name, new_object] : names) {
      ObjectPtr old_object = Get(ns, name);
      if (!old_object) {
        deltas.push_back({CacheDelta::Type::kAdded, nullptr, new_object});
      } else if (MetadataField(*old_object, "resourceVersion") != MetadataField(*new_object, "resourceVersion")) {
        deltas.push_back({CacheDelta::Type::kUpdated, old_object, new_object});
      }
    }
  }
  by_namespace_ = std::move(fresh);
  return deltas;
}

ObjectPtr ObjectCache::Get(const std::string& ns, const std::string& name) const {
  const auto names = by_namespace_.find(ns);
  if (names == by_namespace_.end()) return nullptr;
  const auto it = names->second.find(name);
  return it == names->second.end() ? nullptr : it->second;
}

std::vector<ObjectPtr> ObjectCache::List() const {
  std::vector<ObjectPtr> objects;
  for (const auto& [ns, names] : by_namespace_) {
    for (const auto& [name, object] : names) objects.push_back(object);
  }
  return objects;
}

std::vector<ObjectPtr> ObjectCache::ListInNamespace(const std::string& ns) const {
  std::vector<ObjectPtr> objects;
  if (const auto names = by_namespace_.find(ns); names != by_namespace_.end()) {
    for (const auto& [name, object] : names->second) objects.push_back(object);
  }
  return objects;
}

}  // namespace ks::kube
