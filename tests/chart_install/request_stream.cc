#include "tests/chart_install/request_stream.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iomanip>
#include <sstream>

#include "tests/e2e/kubectl.h"
#include "tests/e2e/project.h"

namespace ks::chart_install {
namespace {

using e2e::CommandResult;
using e2e::json;
using e2e::Kubectl;

// `text` with every occurrence of `value` replaced: an error message may quote what was sent.
std::string WithoutValue(std::string text, const std::string& value) {
  if (value.empty()) return text;
  for (std::size_t at = text.find(value); at != std::string::npos; at = text.find(value, at)) {
    text.replace(at, value.size(), "<value>");
  }
  return text;
}

std::string OneLine(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

}  // namespace

RequestStream::RequestStream(Send send, std::chrono::seconds limit, int max_requests, std::chrono::milliseconds pause) {
  thread_ = std::thread([this, send = std::move(send), limit, max_requests, pause] {
    const Clock::time_point give_up = Clock::now() + limit;
    for (int i = 0; i < max_requests && !stop_ && Clock::now() < give_up; ++i) {
      requests_.push_back(send(i));
      if (pause.count() > 0) std::this_thread::sleep_for(pause);
    }
  });
}

RequestStream::~RequestStream() { Stop(); }

const std::vector<Request>& RequestStream::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  return requests_;
}

Request WriteSecret(const std::string& ns, const std::string& name) {
  Request request;
  request.what = "secret " + name;
  request.name = name;
  request.variable = name;
  std::transform(request.variable.begin(), request.variable.end(), request.variable.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  request.value = e2e::NewSecretValue();
  request.sent = Clock::now();
  CommandResult r = Kubectl().Apply(e2e::SecretManifest(ns, name, request.variable, request.value));
  request.answered = Clock::now();
  request.accepted = r.ok();
  if (!r.ok()) request.error = OneLine(WithoutValue(r.err, request.value));
  return request;
}

Request CreateKernelPodOnce(const std::string& ns) {
  const json pod = e2e::KernelPodManifest(ns);
  Request request;
  request.what = "pod";
  request.sent = Clock::now();
  CommandResult r = Kubectl().Run({"create", "-f", "-", "-o", "json"}, pod.dump());
  request.answered = Clock::now();
  request.accepted = r.ok();
  if (!r.ok()) {
    request.error = OneLine(r.err);
    return request;
  }
  const json created = json::parse(r.out);
  const std::string name = created["metadata"]["name"];
  request.what = "pod " + name;
  const json env_from = created["spec"]["containers"][0].value("envFrom", json::array());
  const bool injected = std::any_of(env_from.begin(), env_from.end(), [](const json& source) {
    return source.contains("secretRef") && source["secretRef"].value("name", "") == "kernel-secrets";
  });
  if (!injected) request.problem = "created without the envFrom of the project's Secret kernel-secrets";
  // The admission is what is measured: the kernel need not start, and many would crowd the node.
  Kubectl().Run({"delete", "pod", name, "-n", ns, "--wait=false"});
  return request;
}

std::vector<Request> Refused(const std::vector<Request>& requests) {
  std::vector<Request> refused;
  std::copy_if(requests.begin(), requests.end(), std::back_inserter(refused),
               [](const Request& r) { return !r.accepted; });
  return refused;
}

int CountAccepted(const std::vector<Request>& requests) {
  return static_cast<int>(std::count_if(requests.begin(), requests.end(), [](const Request& r) { return r.accepted; }));
}

std::vector<std::string> NotConverged(const std::vector<Request>& writes,
                                      const std::map<std::string, std::string>& data) {
  std::vector<std::string> names;
  for (const Request& write : writes) {
    if (!write.accepted) continue;
    auto it = data.find(write.variable);
    if (it == data.end() || it->second != write.value) names.push_back(write.name);
  }
  return names;
}

std::string Describe(const Request& request, Clock::time_point origin) {
  std::ostringstream line;
  line << request.what << " sent at " << std::showpos << std::fixed << std::setprecision(1)
       << Seconds(request.sent - origin) << " s" << std::noshowpos << " (answered after "
       << Seconds(request.answered - request.sent) << " s)";
  if (!request.accepted) line << ": refused: " << request.error;
  if (!request.problem.empty()) line << ": " << request.problem;
  return line.str();
}

double Seconds(Clock::duration duration) { return std::chrono::duration<double>(duration).count(); }

}  // namespace ks::chart_install
