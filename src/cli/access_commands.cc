#include <fmt/format.h>

#include <cstdio>
#include <ctime>

#include "cli/commands.h"
#include "service/admin_tokens.h"
#include "service/audit_log.h"

namespace shopdesk::cli {

namespace {

std::string localTime(std::int64_t millis) {
  const std::time_t seconds = millis / 1000;
  std::tm tm{};
  localtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
  return text;
}

}  // namespace

void recordCommand(store::Store& store, const std::string& action, const std::string& target,
                   const nlohmann::json& detail) {
  service::AuditLog(store).record(service::AuditLog::kCommandLine, action, target, detail);
}

void addTokensCommand(CLI::App& app, const GlobalOptions& global) {
  auto* command = app.add_subcommand("tokens", "Named admin tokens, one per agent: list, create, revoke");
  command->require_subcommand(1);
  command->add_subcommand("list", "List named tokens, newest first")->callback([&global] {
    auto store = global.openStore();
    const auto tokens = service::AdminTokens(*store, "").list();
    fmt::print("{:<24} {:<20} {:<12} {}\n", "name", "created", "by", "status");
    for (const auto& t : tokens) {
      fmt::print("{:<24} {:<20} {:<12} {}\n", t.name, localTime(t.createdAt), t.createdBy,
                 t.revokedAt ? "revoked " + localTime(*t.revokedAt) : std::string("active"));
    }
    fmt::print("{} tokens\n", tokens.size());
  });
  auto name = std::make_shared<std::string>();
  auto* create = command->add_subcommand("create", "Create a token and print its secret (shown only once)");
  create->add_option("name", *name, "The agent's name: letters, digits, '.', '_' or '-'")->required();
  create->callback([name, &global] {
    auto store = global.openStore();
    const auto issued = service::AdminTokens(*store, "").create(*name, service::AuditLog::kCommandLine);
    recordCommand(*store, "token.create", *name);
    fmt::print("{}\n", issued.secret);
    std::fflush(stdout);  // the secret first, then the note, also when both go to one pipe
    fmt::print(stderr,
               "token '{}' created: give the line above to {} (it is not stored and not shown again)\n",
               *name, *name);
  });
  auto* revoke =
      command->add_subcommand("revoke", "Revoke a token: its next request gets 401, on every server");
  revoke->add_option("name", *name, "The token's name")->required();
  revoke->callback([name, &global] {
    auto store = global.openStore();
    service::AdminTokens(*store, "").revoke(*name);
    recordCommand(*store, "token.revoke", *name);
    fmt::print("revoked: {}\n", *name);
  });
}

void addAuditCommand(CLI::App& app, const GlobalOptions& global) {
  auto filter = std::make_shared<store::AuditFilter>();
  auto* command = app.add_subcommand("audit", "Show the audit log of admin changes, newest first");
  command->add_option("--actor", filter->actor, "Only this token's changes ('cli' for commands)");
  command->add_option("--action", filter->action, "Only this action, e.g. model.activate");
  command->add_option("--limit", filter->limit, "How many entries")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  command->callback([filter, &global] {
    auto store = global.openStore();
    const auto page = service::AuditLog(*store).find(*filter);
    for (const auto& e : page.items)
      fmt::print("{}  {:<16} {:<20} {:<24} {}\n", localTime(e.at), e.actor, e.action, e.target, e.detail);
    fmt::print("{} of {} entries\n", page.items.size(), page.total);
  });
}

}  // namespace shopdesk::cli
