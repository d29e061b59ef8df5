// Requests sent one after another on a thread of their own while something else happens to the
// release (a fail-over, an upgrade): Secret CR writes and kernel pod creations, each recorded as
// accepted or refused with when it was sent. Records name objects, never hold a value in a message.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace ks::chart_install {

using Clock = std::chrono::steady_clock;

struct Request {
  std::string what;       // e.g. "secret failover-3", "pod kernel-x2b9q": names only
  bool accepted = false;  // kubectl succeeded
  std::string error;      // when refused: kubectl's message, the API server's error (any value cut out)
  std::string problem;    // when accepted with the wrong effect, e.g. a kernel pod without its envFrom
  Clock::time_point sent;
  Clock::time_point answered;
  // Secret writes: the object's name, its variable name and the value it carried.
  std::string name;
  std::string variable;
  std::string value;
};

class RequestStream {
 public:
  using Send = std::function<Request(int index)>;

  // Sends `send(0)`, `send(1)`, ... on its own thread, `pause` apart, until Stop(), `limit` has
  // passed or `max_requests` were sent, whichever comes first.
  RequestStream(Send send, std::chrono::seconds limit, int max_requests,
                std::chrono::milliseconds pause = std::chrono::milliseconds(0));
  ~RequestStream();
  RequestStream(const RequestStream&) = delete;
  RequestStream& operator=(const RequestStream&) = delete;

  // Lets the request in flight finish and returns every request, in the order sent.
  const std::vector<Request>& Stop();

 private:
  std::atomic<bool> stop_ = false;
  std::vector<Request> requests_;  // the thread's until it is joined
  std::thread thread_;
};

// Creates Secret CR `name` in `ns` (variable NAME in upper case) with a fresh NewSecretValue().
// NewSecretValue is not thread-safe: only one stream of writes at a time.
Request WriteSecret(const std::string& ns, const std::string& name);

// Creates one kernel pod in `ns` (the default kernel selector, the node's kernel image, never
// pulled), once, with no retry, checks that the injector gave it the project's envFrom, and deletes it.
Request CreateKernelPodOnce(const std::string& ns);

std::vector<Request> Refused(const std::vector<Request>& requests);
int CountAccepted(const std::vector<Request>& requests);

// The accepted writes whose variable the native Secret `data` lacks or holds with another value:
// their object names.
std::vector<std::string> NotConverged(const std::vector<Request>& writes,
                                      const std::map<std::string, std::string>& data);

// One line about `request`, its time given in seconds from `origin`: what, when, and how it failed.
std::string Describe(const Request& request, Clock::time_point origin);

// A duration in seconds, e.g. 17.3.
double Seconds(Clock::duration duration);

}  // namespace ks::chart_install
