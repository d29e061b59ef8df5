// What `list` shows: a project's own secrets and the secrets shared into its community from other
// projects, as a table. Pure: built from objects already read. A value is never shown: the VALUE
// column is always "***", whatever the object holds.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/api/resources.h"
#include "plugin/table.h"

namespace ks::plugin {

using nlohmann::json;

inline constexpr char kHiddenValue[] = "***";

// A secret of another project shared into this project's community: the share, and the secret
// it names when the user may read it (null otherwise).
struct SharedIn {
  api::ShareView share;
  json secret;
};

// The live shares among `shares` (SecretShare objects of any namespace) into `community`,
// except those of `own_namespace`; one per shared secret, in key order.
std::vector<api::ShareView> SharesInto(const json& shares, const std::string& community,
                                       const std::string& own_namespace);

// Columns NAME, VARIABLE, VALUE, READY, VISIBLE-IN, SHARED-INTO, CREATED-BY. `own_secrets` and
// `own_shares` are the project's Secret and SecretShare objects; own rows come first, by name,
// then the shared-in ones, whose SHARED-INTO reads "shared from <namespace>".
Table SecretTable(const json& own_secrets, const json& own_shares, const std::vector<SharedIn>& shared_in);

}  // namespace ks::plugin
