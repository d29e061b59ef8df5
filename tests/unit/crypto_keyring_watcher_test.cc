#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/crypto/keyring_watcher.h"
#include "crypto_test_util.h"

namespace ks::crypto {
namespace {

namespace fs = std::filesystem;
using testing::KeyBytes;
using testing::KeyringYaml;
using testing::RevealsNoKey;

const std::string kOneKey = KeyringYaml("k1", {{"k1", KeyBytes('1')}});
const std::string kRotated = KeyringYaml("k2", {{"k1", KeyBytes('1')}, {"k2", KeyBytes('2')}});
const std::string kBroken =
    "active: k3\nkeys:\n  - id: k3\n    secret: " + Base64Encode(KeyBytes('3').substr(1)) + "\n";

// A folder laid out as the kubelet mounts a Secret: keyring.yaml -> ..data/keyring.yaml, and ..data a
// symlink to a timestamped folder that an update replaces by an atomic rename of a new symlink.
class MountedSecret {
 public:
  MountedSecret()
      : dir_(fs::path(::testing::TempDir()) / ("keyring-" + std::to_string(::getpid()) + "-" +
                                               ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fs::create_symlink("..data/keyring.yaml", path());
  }
  ~MountedSecret() { fs::remove_all(dir_); }

  fs::path path() const { return dir_ / "keyring.yaml"; }

  void Write(const std::string& content) {
    const std::string version = "..version-" + std::to_string(++versions_);
    fs::create_directory(dir_ / version);
    std::ofstream(dir_ / version / "keyring.yaml") << content;
    fs::create_symlink(version, dir_ / "..data_tmp");
    fs::rename(dir_ / "..data_tmp", dir_ / "..data");
  }

 private:
  fs::path dir_;
  int versions_ = 0;
};

TEST(KeyringWatcher, LoadsTheFileBehindTheSymlinks) {
  MountedSecret mount;
  mount.Write(kOneKey);
  StatusOr<std::unique_ptr<KeyringWatcher>> watcher = KeyringWatcher::Load(mount.path());
  ASSERT_TRUE(watcher.ok()) << watcher.status().ToString();
  EXPECT_EQ((*watcher)->Current()->active_id(), "k1");
}

TEST(KeyringWatcher, RefreshReportsUnchangedContent) {
  MountedSecret mount;
  mount.Write(kOneKey);
  auto watcher = std::move(KeyringWatcher::Load(mount.path())).value();
  const auto before = watcher->Current();

  mount.Write(kOneKey);  // a new symlink target with the same content
  StatusOr<bool> changed = watcher->Refresh();
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_FALSE(*changed);
  EXPECT_EQ(watcher->Current(), before);
}

TEST(KeyringWatcher, RefreshPicksUpASymlinkSwap) {
  MountedSecret mount;
  mount.Write(kOneKey);
  auto watcher = std::move(KeyringWatcher::Load(mount.path())).value();
  const auto snapshot = watcher->Current();

  mount.Write(kRotated);
  StatusOr<bool> changed = watcher->Refresh();
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_TRUE(*changed);
  EXPECT_EQ(watcher->Current()->active_id(), "k2");
  EXPECT_EQ(snapshot->active_id(), "k1") << "a snapshot taken before the refresh stays as it was";
}

TEST(KeyringWatcher, BrokenFileKeepsThePreviousKeyringUntilFixed) {
  MountedSecret mount;
  mount.Write(kOneKey);
  auto watcher = std::move(KeyringWatcher::Load(mount.path())).value();

  mount.Write(kBroken);
  StatusOr<bool> broken = watcher->Refresh();
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(broken.status().message().find(mount.path().string()), std::string::npos) << broken.status().message();
  EXPECT_TRUE(RevealsNoKey(broken.status().message(), KeyBytes('3').substr(1)));
  EXPECT_EQ(watcher->Current()->active_id(), "k1");

  mount.Write(kRotated);
  StatusOr<bool> fixed = watcher->Refresh();
  ASSERT_TRUE(fixed.ok()) << fixed.status().ToString();
  EXPECT_TRUE(*fixed);
  EXPECT_EQ(watcher->Current()->active_id(), "k2");
}

TEST(KeyringWatcher, ARefusedKeyringIsNotTakenAndReportedOncePerContent) {
  MountedSecret mount;
  mount.Write(kOneKey);
  auto watcher = std::move(KeyringWatcher::Load(mount.path())).value();
  bool refuse = true;
  const KeyringWatcher::Acceptance accept = [&refuse](const Keyring& candidate, const Keyring& current) {
    EXPECT_EQ(candidate.active_id(), "k2");
    EXPECT_EQ(current.active_id(), "k1");
    return refuse ? FailedPrecondition("refused") : Status::Ok();
  };

  mount.Write(kRotated);
  StatusOr<bool> refused = watcher->Refresh(accept);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(watcher->Current()->active_id(), "k1");
  StatusOr<bool> again = watcher->Refresh(accept);
  ASSERT_TRUE(again.ok()) << "the same refused content is not reported again";
  EXPECT_FALSE(*again);
  EXPECT_EQ(watcher->Current()->active_id(), "k1");

  refuse = false;  // e.g. the stored values no longer use the dropped key
  StatusOr<bool> taken = watcher->Refresh(accept);
  ASSERT_TRUE(taken.ok()) << taken.status().ToString();
  EXPECT_TRUE(*taken);
  EXPECT_EQ(watcher->Current()->active_id(), "k2");
}

TEST(KeyringWatcher, VanishedFileKeepsThePreviousKeyring) {
  MountedSecret mount;
  mount.Write(kOneKey);
  auto watcher = std::move(KeyringWatcher::Load(mount.path())).value();

  fs::remove(mount.path());
  StatusOr<bool> refreshed = watcher->Refresh();
  ASSERT_FALSE(refreshed.ok());
  EXPECT_EQ(refreshed.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(watcher->Current()->active_id(), "k1");
}

TEST(KeyringWatcher, LoadFailsWithoutAKeyringToFallBackOn) {
  MountedSecret mount;
  StatusOr<std::unique_ptr<KeyringWatcher>> missing = KeyringWatcher::Load(mount.path());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);

  mount.Write(kBroken);
  StatusOr<std::unique_ptr<KeyringWatcher>> broken = KeyringWatcher::Load(mount.path());
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ks::crypto
