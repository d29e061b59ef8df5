// Log set-up for the injector: spdlog's default logger as human-readable text or as one JSON
// object per line (time, level, msg) for log collectors. Call once, before other threads log.
#pragma once

namespace ks::injector {

enum class LogFormat { kText, kJson };

void SetUpLogging(LogFormat format);

}  // namespace ks::injector
