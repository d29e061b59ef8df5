// The server's TLS settings built from PEM files, rebuilt when any of them changes so that rotated
// certificates are served, and rotated client CAs trusted, without a restart. TLS 1.2 or newer;
// TLS 1.2 only with ECDHE key exchange and an AEAD cipher (AES-GCM, ChaCha20-Poly1305), TLS 1.3 with
// OpenSSL's suites, all of them AEAD. With a client CA file the handshake requires a client
// certificate that it signed. A failed rebuild keeps the last good context and is logged.
// Thread-safe.
#pragma once

#include <openssl/ssl.h>
#include <sys/types.h>

#include <boost/asio/ssl/context.hpp>
#include <ctime>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/common/status.h"

namespace ks::https {

// The subject CNs and the DNS SANs of the certificate the peer of `ssl` presented, empty when it
// presented none. Call after the handshake, which verified the certificate when a client CA is set.
std::vector<std::string> PeerCertificateNames(SSL* ssl);

struct TlsFiles {
  std::string cert_file{};  // the serving certificate chain
  std::string key_file{};
  std::string client_ca_file{};  // empty: no client certificate is asked for
};

class ReloadingTlsContext {
 public:
  // Fails when the files cannot be read, the key does not match the certificate, or the client CA
  // file holds no certificate.
  static StatusOr<std::unique_ptr<ReloadingTlsContext>> Load(TlsFiles files);

  // The context for a new connection. Looks at the files first (a stat each, so cheap enough to
  // call per connection) and rebuilds the context when they changed since the last attempt.
  // Connections keep the context they started with.
  std::shared_ptr<boost::asio::ssl::context> Current();
  // When the serving certificate of Current() expires (its notAfter), in seconds since the epoch.
  std::time_t CertificateNotAfter();

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
  using Stamps = std::vector<FileStamp>;  // one per file of WatchedFiles(), in its order

  explicit ReloadingTlsContext(TlsFiles files);
  std::vector<const std::string*> WatchedFiles() const;
  StatusOr<Stamps> ReadStamps() const;
  StatusOr<std::shared_ptr<boost::asio::ssl::context>> Build() const;
  Status TrustClientCa(boost::asio::ssl::context& context) const;

  const TlsFiles files_;
  std::mutex mutex_;
  std::shared_ptr<boost::asio::ssl::context> current_;
  Stamps attempted_;  // the file versions of the last build attempt, good or not
};

}  // namespace ks::https
