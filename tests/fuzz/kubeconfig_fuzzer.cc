// The kubeconfig reader (core/kube/config.h), which the plugin runs on the user's file and the
// binaries on --kubeconfig. It reads only from a path, so each input is written to one file in a
// folder of the run's own; relative credential paths resolve there (only the kubeconfig itself
// exists in it). yaml-cpp is Debian's, not instrumented.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/kube/config.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

const std::string& KubeconfigPath() {
  static const std::string path = [] {
    std::string folder = (std::filesystem::temp_directory_path() / "kubeconfig-fuzzer-XXXXXX").string();
    ks::fuzz::Require(mkdtemp(folder.data()) != nullptr, "a temporary folder");
    return folder + "/config";
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  {
    std::ofstream file(KubeconfigPath(), std::ios::binary | std::ios::trunc);
    file.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  ks::StatusOr<ks::kube::ClientConfig> config = ks::kube::LoadKubeconfig(KubeconfigPath());
  if (config.ok()) ks::fuzz::Require(!config->server.empty(), "a loaded kubeconfig names its server");
  return 0;
}
