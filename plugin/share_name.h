// The name `share` gives the SecretShare of a secret in a community: readable ("<secret>-<community>")
// and always a valid object name, though a community (a label value) may hold characters an object
// name may not. Pure.
#pragma once

#include <string>

namespace ks::plugin {

// "<secret>-<community>" lower-cased, with characters other than [a-z0-9-] turned into '-'; when that
// changed the community or the name would pass 253 characters, a short digest of the community is
// appended so that distinct communities ("Team_A", "team-a") never share a name.
std::string ShareName(const std::string& secret, const std::string& community);

}  // namespace ks::plugin
