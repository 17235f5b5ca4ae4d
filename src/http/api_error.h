#pragma once

#include <stdexcept>
#include <string>

namespace shopdesk::http {

//! An error that ends a request with `status` and the body {"error": {"code", "message"}}.
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(std::move(code)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }

 private:
  int status_;
  std::string code_;
};

}  // namespace shopdesk::http
