// The server's TLS settings (TLS 1.2 or newer) built from a PEM certificate chain file and a PEM
// key file, rebuilt when either file changes so that rotated certificates are served without a
// restart. A failed rebuild keeps the last good context and is logged. Thread-safe.
#pragma once

#include <sys/types.h>

#include <boost/asio/ssl/context.hpp>
#include <ctime>
#include <memory>
#include <mutex>
#include <string>

#include "core/common/status.h"

namespace ks::https {

class ReloadingTlsContext {
 public:
  // Fails when the files cannot be read or the key does not match the certificate.
  static StatusOr<std::unique_ptr<ReloadingTlsContext>> Load(std::string cert_file, std::string key_file);

  // The context for a new connection. Looks at the files first (a stat each, so cheap enough to
  // call per connection) and rebuilds the context when they changed since the last attempt.
  // Connections keep the context they started with.
  std::shared_ptr<boost::asio::ssl::context> Current();

 private:
  // What identifies one version of a file: a replaced file (a Kubernetes Secret volume swaps a
  // symlink) has another inode, an edited one another mtime or size.
  struct FileStamp {
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    timespec mtime{};
    bool operator==(const FileStamp& other) const;
  };
  struct Stamps {
    FileStamp cert;
    FileStamp key;
    bool operator==(const Stamps& other) const = default;
  };

  ReloadingTlsContext(std::string cert_file, std::string key_file);
  StatusOr<Stamps> ReadStamps() const;
  StatusOr<std::shared_ptr<boost::asio::ssl::context>> Build() const;

  const std::string cert_file_;
  const std::string key_file_;
  std::mutex mutex_;
  std::shared_ptr<boost::asio::ssl::context> current_;
  Stamps attempted_;  // the file versions of the last build attempt, good or not
};

}  // namespace ks::https
