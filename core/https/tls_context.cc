#include "core/https/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace ks::https {
namespace ssl = boost::asio::ssl;

namespace {

// OpenSSL's reason for the last failure; it names files and formats, never key material.
std::string OpenSslReason(const boost::system::error_code& ec) {
  std::string reason = ec.message();
  ERR_clear_error();
  return reason;
}

}  // namespace

bool ReloadingTlsContext::FileStamp::operator==(const FileStamp& other) const {
  return device == other.device && inode == other.inode && size == other.size && mtime.tv_sec == other.mtime.tv_sec &&
         mtime.tv_nsec == other.mtime.tv_nsec;
}

ReloadingTlsContext::ReloadingTlsContext(std::string cert_file, std::string key_file)
    : cert_file_(std::move(cert_file)), key_file_(std::move(key_file)) {}

StatusOr<std::unique_ptr<ReloadingTlsContext>> ReloadingTlsContext::Load(std::string cert_file, std::string key_file) {
  std::unique_ptr<ReloadingTlsContext> tls(new ReloadingTlsContext(std::move(cert_file), std::move(key_file)));
  auto stamps = tls->ReadStamps();
  if (!stamps.ok()) return stamps.status();
  auto context = tls->Build();
  if (!context.ok()) return context.status();
  tls->attempted_ = *stamps;
  tls->current_ = std::move(context).value();
  return tls;
}

StatusOr<ReloadingTlsContext::Stamps> ReloadingTlsContext::ReadStamps() const {
  Stamps stamps;
  for (auto [path, stamp] : {std::pair{&cert_file_, &stamps.cert}, std::pair{&key_file_, &stamps.key}}) {
    struct stat st {};
    if (::stat(path->c_str(), &st) != 0) {
      return FailedPrecondition("cannot read " + *path + ": " + std::strerror(errno));
    }
    *stamp = {.device = st.st_dev, .inode = st.st_ino, .size = st.st_size, .mtime = st.st_mtim};
  }
  return stamps;
}

StatusOr<std::shared_ptr<ssl::context>> ReloadingTlsContext::Build() const {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_compression | ssl::context::single_dh_use);

  boost::system::error_code ec;
  context->use_certificate_chain_file(cert_file_, ec);
  if (ec) return FailedPrecondition("cannot load certificate " + cert_file_ + ": " + OpenSslReason(ec));
  context->use_private_key_file(key_file_, ssl::context::pem, ec);
  if (ec) return FailedPrecondition("cannot load key " + key_file_ + ": " + OpenSslReason(ec));
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    ERR_clear_error();
    return FailedPrecondition("key " + key_file_ + " does not match certificate " + cert_file_);
  }
  return context;
}

std::shared_ptr<ssl::context> ReloadingTlsContext::Current() {
  std::lock_guard lock(mutex_);
  auto stamps = ReadStamps();
  if (!stamps.ok()) {
    spdlog::warn("TLS certificate reload skipped, serving the previous one: {}", stamps.status().message());
    return current_;
  }
  if (*stamps == attempted_) return current_;

  // Remember the attempt even when it fails: a certificate written before its key fails once and
  // is retried when the key lands, not on every connection in between.
  attempted_ = *stamps;
  auto rebuilt = Build();
  if (!rebuilt.ok()) {
    spdlog::error("TLS certificate reload failed, serving the previous one: {}", rebuilt.status().message());
    return current_;
  }
  current_ = std::move(rebuilt).value();
  spdlog::info("TLS certificate reloaded from {}", cert_file_);
  return current_;
}

}  // namespace ks::https
