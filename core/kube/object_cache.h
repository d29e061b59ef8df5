// The informer's store: immutable objects by namespace, then name, so that one lookup serves a
// key ("namespace/name") and one a namespace. Replace computes what a relist changed. Not
// thread-safe: the Informer locks around it.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ks::kube {

using ObjectPtr = std::shared_ptr<const nlohmann::json>;

struct CacheDelta {
  enum class Type { kAdded, kUpdated, kDeleted };
  Type type;
  ObjectPtr old_object;  // null for kAdded
  ObjectPtr new_object;  // null for kDeleted
};

class ObjectCache {
 public:
  // Returns the object it replaced, or null.
  ObjectPtr Upsert(ObjectPtr object);
  // Returns the object it removed, or null.
  ObjectPtr Remove(const nlohmann::json& object);
  // Makes the cache hold exactly `objects`. Returns deletes for objects that vanished, then adds
  // for new ones and updates for those whose resourceVersion changed; unchanged ones are silent.
  std::vector<CacheDelta> Replace(std::vector<ObjectPtr> objects);

  ObjectPtr Get(const std::string& ns, const std::string& name) const;
  std::vector<ObjectPtr> List() const;
  std::vector<ObjectPtr> ListInNamespace(const std::string& ns) const;

 private:
  using Names = std::map<std::string, ObjectPtr>;
  std::map<std::string, Names> by_namespace_;
};

}  // namespace ks::kube
