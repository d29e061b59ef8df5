#include "core/common/core_dumps.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace ks {

Status ForbidCoreDumps() {
  const rlimit no_core{.rlim_cur = 0, .rlim_max = 0};
  if (setrlimit(RLIMIT_CORE, &no_core) != 0) {
    return Internal(std::string("cannot set RLIMIT_CORE to 0: ") + std::strerror(errno));
  }
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
    return Internal(std::string("cannot make the process non-dumpable: ") + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace ks
