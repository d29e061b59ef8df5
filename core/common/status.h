// Results at module boundaries: a Status with a canonical code, or a value (StatusOr).
// Callers retry on kUnavailable and kConflict, never on kInvalidArgument. Exceptions from
// libraries (cpprestsdk, pplx, OpenSSL wrappers) are converted into a Status where they arise.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace ks {

enum class StatusCode {
  kOk,
  kInvalidArgument,  // the input is wrong; retrying cannot help
  kNotFound,
  kAlreadyExists,
  kConflict,  // optimistic concurrency lost; re-read and retry
  kPermissionDenied,
  kUnauthenticated,
  kFailedPrecondition,  // the system is not in a state that allows this yet
  kGone,                // a watch's resourceVersion is too old: relist
  kUnavailable,         // transient: network, server down, timeout; retry with backoff
  kDataLoss,            // stored data cannot be read back (e.g. a ciphertext fails authentication)
  kInternal,
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "NotFound: secret foo" style, for logs.
  std::string ToString() const;

  // True for failures worth retrying with backoff.
  bool IsRetryable() const { return code_ == StatusCode::kUnavailable || code_ == StatusCode::kConflict; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
inline Status Conflict(std::string m) { return {StatusCode::kConflict, std::move(m)}; }
inline Status PermissionDenied(std::string m) { return {StatusCode::kPermissionDenied, std::move(m)}; }
inline Status Unauthenticated(std::string m) { return {StatusCode::kUnauthenticated, std::move(m)}; }
inline Status FailedPrecondition(std::string m) { return {StatusCode::kFailedPrecondition, std::move(m)}; }
inline Status Gone(std::string m) { return {StatusCode::kGone, std::move(m)}; }
inline Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status DataLoss(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// A value or the Status that explains why there is none. Never holds an ok Status without a value.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : state_(std::move(value)) {}        // NOLINT: implicit by design, like absl::StatusOr
  StatusOr(Status status) : state_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(state_).ok() && "StatusOr needs a value or an error");
  }

  bool ok() const { return std::holds_alternative<T>(state_); }
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(state_); }

  const T& value() const& { return std::get<T>(state_); }
  T& value() & { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<Status, T> state_;
};

}  // namespace ks

// Returns early from the enclosing function when `expr` yields a non-ok Status.
#define KS_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::ks::Status ks_status_ = (expr);        \
    if (!ks_status_.ok()) return ks_status_; \
  } while (false)
