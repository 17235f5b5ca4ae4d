#include "service/audit_log.h"

#include "common/clock.h"

namespace shopdesk::service {

void AuditLog::record(const std::string& actor, const std::string& action, const std::string& target,
                      const nlohmann::json& detail) {
  store_.recordAudit({0, common::nowMillis(), actor, action, target,
                      detail.is_object() ? detail.dump() : nlohmann::json{{"value", detail}}.dump()});
}

store::Page<store::AuditEntry> AuditLog::find(const store::AuditFilter& filter) {
  return store_.findAudit(filter);
}

}  // namespace shopdesk::service
