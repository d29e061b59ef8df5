// Owns the path of the keyring file and the keyring last loaded from it. The file is usually a mounted
// Secret, which the kubelet updates by swapping a symlink, so Refresh() compares the SHA-256 of the
// content the path resolves to now, never mtimes or inodes. A refresh that fails keeps the previous
// keyring. Current() and Refresh() may be called from any thread; the owner calls Refresh() on a timer.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "core/common/status.h"
#include "core/crypto/keyring.h"

namespace ks::crypto {

class KeyringWatcher {
 public:
  // Reads and parses the file. There is no previous keyring to fall back on, so any failure is an
  // error: NotFound or Unavailable when the file cannot be read, InvalidArgument when it does not parse.
  static StatusOr<std::unique_ptr<KeyringWatcher>> Load(std::filesystem::path path);

  KeyringWatcher(const KeyringWatcher&) = delete;
  KeyringWatcher& operator=(const KeyringWatcher&) = delete;

  // The current keyring; a snapshot that stays valid however often the file changes afterwards.
  std::shared_ptr<const Keyring> Current() const { return current_.load(); }

  // Whether a keyring read from the file may replace the current one (CheckKeyringReplacement).
  using Acceptance = std::function<Status(const Keyring& candidate, const Keyring& current)>;

  // Re-reads the file: true when its content changed, parsed and `accept` (if given) took it:
  // Current() now returns the new keyring. False when the content is unchanged, or is the content
  // refused before and still refused. An error when it cannot be read or parsed, or when `accept`
  // refuses new content (once per content: a refusal is reported, not repeated every refresh).
  // After an error Current() still returns the previous keyring; the next Refresh() tries again.
  StatusOr<bool> Refresh(const Acceptance& accept = nullptr);

  const std::filesystem::path& path() const { return path_; }

 private:
  KeyringWatcher(std::filesystem::path path, std::shared_ptr<const Keyring> keyring, std::string digest)
      : path_(std::move(path)), content_digest_(std::move(digest)), current_(std::move(keyring)) {}

  const std::filesystem::path path_;
  std::mutex refresh_mu_;       // one Refresh() at a time
  std::string content_digest_;  // of the content behind current_; guarded by refresh_mu_
  std::string refused_digest_;  // of the content `accept` refused last; guarded by refresh_mu_
  std::atomic<std::shared_ptr<const Keyring>> current_;
};

}  // namespace ks::crypto
