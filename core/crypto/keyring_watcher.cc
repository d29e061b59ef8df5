#include "core/crypto/keyring_watcher.h"

#include <fstream>
#include <iterator>

#include "core/common/encoding.h"

namespace ks::crypto {
namespace {

// What the keyring path held when read: key material, so wiped when dropped.
struct FileContent {
  std::string bytes;
  std::string digest;  // SHA-256 of bytes, to tell whether the file changed
  ~FileContent() { Wipe(bytes); }
};

StatusOr<std::unique_ptr<FileContent>> ReadFile(const std::filesystem::path& path) {
  const std::string cannot_read = "cannot read keyring file " + path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec) && !ec) return NotFound(cannot_read + ": no such file");
    return Unavailable(cannot_read);
  }
  auto content = std::make_unique<FileContent>();
  content->bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) return Unavailable(cannot_read);
  content->digest = Sha256Hex(content->bytes);
  return content;
}

StatusOr<std::shared_ptr<const Keyring>> Parse(const FileContent& content, const std::filesystem::path& path) {
  StatusOr<Keyring> keyring = Keyring::Parse(content.bytes);
  if (!keyring.ok()) return Status(keyring.status().code(), path.string() + ": " + keyring.status().message());
  return std::make_shared<const Keyring>(std::move(keyring).value());
}

}  // namespace

StatusOr<std::unique_ptr<KeyringWatcher>> KeyringWatcher::Load(std::filesystem::path path) {
  StatusOr<std::unique_ptr<FileContent>> content = ReadFile(path);
  if (!content.ok()) return content.status();
  StatusOr<std::shared_ptr<const Keyring>> keyring = Parse(**content, path);
  if (!keyring.ok()) return keyring.status();
  return std::unique_ptr<KeyringWatcher>(
      new KeyringWatcher(std::move(path), std::move(*keyring), std::move((*content)->digest)));
}

StatusOr<bool> KeyringWatcher::Refresh(const Acceptance& accept) {
  std::lock_guard lock(refresh_mu_);
  StatusOr<std::unique_ptr<FileContent>> content = ReadFile(path_);
  if (!content.ok()) return content.status();
  if ((*content)->digest == content_digest_) return false;
  StatusOr<std::shared_ptr<const Keyring>> keyring = Parse(**content, path_);
  if (!keyring.ok()) return keyring.status();
  if (accept) {
    if (Status accepted = accept(**keyring, *current_.load()); !accepted.ok()) {
      const bool reported_before = (*content)->digest == refused_digest_;
      refused_digest_ = (*content)->digest;
      if (reported_before) return false;
      return Status(accepted.code(), path_.string() + ": " + accepted.message());
    }
  }
  refused_digest_.clear();
  current_.store(std::move(*keyring));
  content_digest_ = std::move((*content)->digest);
  return true;
}

}  // namespace ks::crypto
