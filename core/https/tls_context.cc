#include "core/https/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace ks::https {
namespace ssl = boost::asio::ssl;

namespace {

// ECDHE for forward secrecy, AEAD only: what Go's TLS client (the API server) offers first.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// OpenSSL's reason for the last failure; it names files and formats, never key material.
std::string OpenSslReason(const boost::system::error_code& ec) {
  std::string reason = ec.message();
  ERR_clear_error();
  return reason;
}

std::string ToString(const ASN1_STRING* text) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)), ASN1_STRING_length(text));
}

}  // namespace

std::vector<std::string> PeerCertificateNames(SSL* ssl) {
  const X509* certificate = SSL_get0_peer_certificate(ssl);
  if (certificate == nullptr) return {};
  std::vector<std::string> names;
  const X509_NAME* subject = X509_get_subject_name(certificate);
  for (int i = -1; (i = X509_NAME_get_index_by_NID(subject, NID_commonName, i)) >= 0;) {
    names.push_back(ToString(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i))));
  }
  using GeneralNames = std::unique_ptr<GENERAL_NAMES, decltype(&GENERAL_NAMES_free)>;
  const GeneralNames alternatives(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr)),
      GENERAL_NAMES_free);
  for (int i = 0; alternatives && i < sk_GENERAL_NAME_num(alternatives.get()); ++i) {
    const GENERAL_NAME* alternative = sk_GENERAL_NAME_value(alternatives.get(), i);
    if (alternative->type == GEN_DNS) names.push_back(ToString(alternative->d.dNSName));
  }
  return names;
}

bool ReloadingTlsContext::FileStamp::operator==(const FileStamp& other) const {
  return device == other.device && inode == other.inode && size == other.size && mtime.tv_sec == other.mtime.tv_sec &&
         mtime.tv_nsec == other.mtime.tv_nsec;
}

ReloadingTlsContext::ReloadingTlsContext(TlsFiles files) : files_(std::move(files)) {}

StatusOr<std::unique_ptr<ReloadingTlsContext>> ReloadingTlsContext::Load(TlsFiles files) {
  std::unique_ptr<ReloadingTlsContext> tls(new ReloadingTlsContext(std::move(files)));
  auto stamps = tls->ReadStamps();
  if (!stamps.ok()) return stamps.status();
  auto context = tls->Build();
  if (!context.ok()) return context.status();
  tls->attempted_ = *stamps;
  tls->current_ = std::move(context).value();
  return tls;
}

std::vector<const std::string*> ReloadingTlsContext::WatchedFiles() const {
  std::vector<const std::string*> files = {&files_.cert_file, &files_.key_file};
  if (!files_.client_ca_file.empty()) files.push_back(&files_.client_ca_file);
  return files;
}

StatusOr<ReloadingTlsContext::Stamps> ReloadingTlsContext::ReadStamps() const {
  Stamps stamps;
  for (const std::string* path : WatchedFiles()) {
    struct stat st {};
    if (::stat(path->c_str(), &st) != 0) {
      return FailedPrecondition("cannot read " + *path + ": " + std::strerror(errno));
    }
    stamps.push_back({.device = st.st_dev, .inode = st.st_ino, .size = st.st_size, .mtime = st.st_mtim});
  }
  return stamps;
}

StatusOr<std::shared_ptr<ssl::context>> ReloadingTlsContext::Build() const {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  // Applies to TLS 1.2 only; TLS 1.3 suites are set apart and are all AEAD.
  if (SSL_CTX_set_cipher_list(context->native_handle(), kTls12Ciphers) != 1) {
    ERR_clear_error();
    return Internal("this OpenSSL supports none of the TLS 1.2 cipher suites " + std::string(kTls12Ciphers));
  }
  context->set_options(ssl::context::default_workarounds | ssl::context::no_compression | ssl::context::single_dh_use |
                       SSL_OP_CIPHER_SERVER_PREFERENCE);

  boost::system::error_code ec;
  context->use_certificate_chain_file(files_.cert_file, ec);
  if (ec) return FailedPrecondition("cannot load certificate " + files_.cert_file + ": " + OpenSslReason(ec));
  context->use_private_key_file(files_.key_file, ssl::context::pem, ec);
  if (ec) return FailedPrecondition("cannot load key " + files_.key_file + ": " + OpenSslReason(ec));
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    ERR_clear_error();
    return FailedPrecondition("key " + files_.key_file + " does not match certificate " + files_.cert_file);
  }
  if (!files_.client_ca_file.empty()) KS_RETURN_IF_ERROR(TrustClientCa(*context));
  return context;
}

Status ReloadingTlsContext::TrustClientCa(ssl::context& context) const {
  const std::string& file = files_.client_ca_file;
  boost::system::error_code ec;
  context.load_verify_file(file, ec);
  if (ec) return FailedPrecondition("cannot load client CA " + file + ": " + OpenSslReason(ec));
  // Names the acceptable CAs in the CertificateRequest: a Go client (the API server) sends its
  // certificate only when its issuer is among them.
  STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(file.c_str());
  if (names == nullptr) {
    ERR_clear_error();
    return FailedPrecondition("client CA " + file + " holds no certificate");
  }
  SSL_CTX_set_client_CA_list(context.native_handle(), names);
  // A certificate the CA did not sign fails the handshake. A client without one connects, for the
  // routes open to anyone (the kubelet's probes present none); the server answers it on no other.
  context.set_verify_mode(ssl::verify_peer);
  return Status::Ok();
}

std::shared_ptr<ssl::context> ReloadingTlsContext::Current() {
  std::lock_guard lock(mutex_);
  auto stamps = ReadStamps();
  if (!stamps.ok()) {
    spdlog::warn("TLS reload skipped, serving the previous one: {}", stamps.status().message());
    return current_;
  }
  if (*stamps == attempted_) return current_;

  // Remember the attempt even when it fails: a certificate written before its key fails once and
  // is retried when the key lands, not on every connection in between.
  attempted_ = *stamps;
  auto rebuilt = Build();
  if (!rebuilt.ok()) {
    spdlog::error("TLS reload failed, serving the previous one: {}", rebuilt.status().message());
    return current_;
  }
  current_ = std::move(rebuilt).value();
  spdlog::info("TLS files reloaded: certificate {}{}", files_.cert_file,
               files_.client_ca_file.empty() ? "" : ", client CA " + files_.client_ca_file);
  return current_;
}

std::time_t ReloadingTlsContext::CertificateNotAfter() {
  const X509* certificate = SSL_CTX_get0_certificate(Current()->native_handle());
  std::tm not_after{};
  // Build() loaded a certificate, so both calls succeed; 0 stands for "unknown" otherwise.
  if (certificate == nullptr || ASN1_TIME_to_tm(X509_get0_notAfter(certificate), &not_after) != 1) return 0;
  return timegm(&not_after);
}

}  // namespace ks::https
