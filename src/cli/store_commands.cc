#include <fmt/format.h>

#include "cli/commands.h"
#include "service/catalog.h"
#include "service/importer.h"
#include "service/interactions.h"
#include "store/sqlite_backup.h"

namespace shopdesk::cli {

void addCategoriesCommand(CLI::App& app, const GlobalOptions& global) {
  auto* command =
      app.add_subcommand("categories", "List categories (or load a catalog with 'categories load')");
  command->require_subcommand(0, 1);
  auto file = std::make_shared<std::string>();
  auto* load = command->add_subcommand("load", "Create or update categories from a categories.json catalog");
  load->add_option("file", *file, "Catalog file")->required();
  load->callback([file, &global] {
    auto store = global.openStore();
    const auto saved = service::Catalog(*store, nullptr).save(service::readCatalog(*file));
    recordCommand(*store, "category.save", std::filesystem::path(*file).filename().string(),
                  {{"loaded", saved}});
    fmt::print("saved {} categories\n", saved);
  });
  command->callback([command, &global] {
    if (!command->get_subcommands().empty()) return;
    auto store = global.openStore();
    const auto categories = service::Catalog(*store, nullptr).categories();
    fmt::print("{:<26} {:>8} {:>8}  {}\n", "category", "examples", "answers", "description");
    for (const auto& c : categories) {
      fmt::print("{:<26} {:>8} {:>8}  {}\n", c.name, c.exampleCount,
                 c.recommendations.size() + !c.response.empty(), c.description);
    }
    fmt::print("{} categories\n", categories.size());
  });
}

void addBackupCommands(CLI::App& app, const GlobalOptions& global) {
  auto file = std::make_shared<std::string>();
  auto* backup = app.add_subcommand(
      "backup",
      "Copy the SQLite store, models included, into a new FILE (while a server answers, if one does)");
  backup->add_option("file", *file, "The backup file to write (must not exist)")->required();
  backup->callback([file, &global] {
    const auto from = global.sqlitePath();
    store::backupSqlite(from, *file);
    fmt::print("backed up {} to {}\n", from.string(), *file);
  });
  auto* restore = app.add_subcommand(
      "restore", "Restore a backup FILE as the store of a new data directory (or a new --db sqlite: file)");
  restore->add_option("file", *file, "A file written by 'shopdesk backup'")->required();
  restore->callback([file, &global] {
    const auto to = global.sqlitePath();
    store::restoreSqlite(*file, to);
    const auto stats = global.openStore()->stats();  // migrates an older backup, and shows what came back
    fmt::print("restored {} to {}: {} categories, {} training examples, {} interactions, {} model versions\n",
               *file, to.string(), stats.categories, stats.trainingExamples, stats.interactions,
               stats.modelVersions);
  });
}

void addEraseCommand(CLI::App& app, const GlobalOptions& global) {
  auto request = std::make_shared<service::ErasureRequest>();
  auto email = std::make_shared<std::string>();
  auto order = std::make_shared<std::string>();
  auto* command = app.add_subcommand(
      "erase",
      "Erase one customer's questions (text, entities, comments, examples made of them; counts stay)");
  auto* byEmail = command->add_option("--email", *email, "Every question that held this email address");
  auto* byOrder = command->add_option("--order-number", *order, "Every question that held this order number");
  auto* byId = command->add_option("--id", request->ids, "These interactions (repeatable)");
  byEmail->excludes(byOrder)->excludes(byId);
  byOrder->excludes(byId);
  command->callback([request, email, order, byEmail, byOrder, &global] {
    if (*byEmail) request->email = *email;
    if (*byOrder) request->orderNumber = *order;
    auto store = global.openStore();
    const auto erased = service::Interactions(*store, 0.5).erase(*request);
    nlohmann::json detail{{"erased", erased}, {"by", *byEmail ? "email" : *byOrder ? "order_number" : "ids"}};
    if (!request->ids.empty()) detail["ids"] = request->ids;
    recordCommand(*store, "customer_data.erase", "", detail);
    fmt::print("erased {} interaction{}\n", erased, erased == 1 ? "" : "s");
  });
}

void addStatsCommand(CLI::App& app, const GlobalOptions& global) {
  auto* command = app.add_subcommand("stats", "Show what the store holds");
  command->callback([&global] {
    auto store = global.openStore();
    const auto stats = store->stats();
    fmt::print("database            {}\n", store->describe());
    fmt::print("schema version      {}\n", stats.schemaVersion);
    fmt::print("categories          {}\n", stats.categories);
    fmt::print("training examples   {}\n", stats.trainingExamples);
    for (const auto& [source, count] : stats.examplesBySource)
      fmt::print("  from {:<14} {}\n", source, count);
    fmt::print("interactions        {}\n", stats.interactions);
    fmt::print("feedback            {}\n", stats.feedback);
    fmt::print("model versions      {}\n", stats.modelVersions);
    fmt::print("training jobs       {}\n", stats.trainingJobs);
  });
}

}  // namespace shopdesk::cli
