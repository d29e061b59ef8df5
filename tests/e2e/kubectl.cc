#include "tests/e2e/kubectl.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace ks::e2e {
namespace {

// A temporary file, removed with this object.
class TempFile {
 public:
  explicit TempFile(const std::string& content = "") {
    char name[] = "/tmp/ks-e2e-XXXXXX";
    const int fd = mkstemp(name);
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    close(fd);
    path_ = name;
    std::ofstream(path_) << content;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }
  std::string Read() const {
    std::ifstream in(path_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  std::string path_;
};

}  // namespace

CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& input) {
  TempFile in(input), out, err;
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(open(in.path().c_str(), O_RDONLY), 0);
    dup2(open(out.path().c_str(), O_WRONLY), 1);
    dup2(open(err.path().c_str(), O_WRONLY), 2);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out.Read(), err.Read()};
}

CommandResult Kubectl::Run(const std::vector<std::string>& args, const std::string& input) const {
  std::vector<std::string> argv = {"kubectl"};
  if (!user_.empty()) argv.push_back("--as=" + user_);
  for (const std::string& g : groups_) argv.push_back("--as-group=" + g);
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, input);
}

CommandResult Kubectl::Apply(const json& manifest) const { return Run({"apply", "-f", "-"}, manifest.dump()); }

CommandResult Kubectl::Create(const json& manifest) const { return Run({"create", "-f", "-"}, manifest.dump()); }

json Kubectl::Get(const std::vector<std::string>& args) const {
  std::vector<std::string> get = {"get"};
  get.insert(get.end(), args.begin(), args.end());
  get.insert(get.end(), {"-o", "json"});
  CommandResult r = Run(get);
  return r.ok() ? json::parse(r.out) : json();
}

}  // namespace ks::e2e
