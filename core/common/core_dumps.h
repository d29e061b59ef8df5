// Both binaries hold keys: the operator its keyring and the values it seals, each its TLS key. A
// core file would write them to the node's disk, where whoever collects crash dumps reads them.
#pragma once

#include "core/common/status.h"

namespace ks {

// Makes the process write no core file on a crash (RLIMIT_CORE 0, and not dumpable, which also
// covers a core_pattern pipe that ignores the limit) and keeps other processes of its user from
// attaching to it or reading its /proc/<pid>/mem and environ. Call first in main, before any
// secret is loaded; exec'd programs start dumpable again.
Status ForbidCoreDumps();

}  // namespace ks
