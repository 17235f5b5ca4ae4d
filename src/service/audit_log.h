#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "store/store.h"

namespace shopdesk::service {

//! What admins did: every change made through the admin API or the command line, with who made it. Entries
//! hold names, counts and categories, never what a customer wrote, so erasing a customer leaves nothing here.
class AuditLog {
 public:
  //! The actor of commands run on the server's machine, outside the API.
  static constexpr const char* kCommandLine = "cli";

  explicit AuditLog(store::Store& store) : store_(store) {}

  //! Records `action` (e.g. "category.save") by `actor` on `target`; `detail` is a JSON object.
  void record(const std::string& actor, const std::string& action, const std::string& target,
              const nlohmann::json& detail = nlohmann::json::object());
  //! A page of entries, newest first.
  store::Page<store::AuditEntry> find(const store::AuditFilter& filter);

 private:
  store::Store& store_;
};

}  // namespace shopdesk::service
