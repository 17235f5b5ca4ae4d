#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/commands.h"
#include "service/importer.h"
#include "service/training_data.h"
#include "store/store_copy.h"

namespace shopdesk::cli {

namespace {

nlohmann::json importCounts(const store::ImportSummary& summary) {
  return {{"received", summary.received},
          {"inserted", summary.inserted},
          {"duplicates", summary.duplicates},
          {"created_categories", summary.createdCategories}};
}

void printCopy(const store::CopySummary& summary) {
  for (const auto& [table, rows] : summary) fmt::print("  {:<26} {:>9}\n", table, rows);
}

void printImport(const store::ImportSummary& summary) {
  fmt::print("stored {} new examples ({} read, {} already present)\n", summary.inserted, summary.received,
             summary.duplicates);
  if (!summary.createdCategories.empty()) {
    fmt::print("new categories ({}): {}\n", summary.createdCategories.size(),
               fmt::join(summary.createdCategories, ", "));
  }
}

const std::map<std::string, service::FileFormat> kFormats = {{"auto", service::FileFormat::kAuto},
                                                             {"csv", service::FileFormat::kCsv},
                                                             {"jsonl", service::FileFormat::kJsonl}};

}  // namespace

void addImportCommand(CLI::App& app, const GlobalOptions& global) {
  struct Options {
    std::string file;
    std::string source = "import";
    service::ExampleFileOptions file_options;
    bool store = false;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand(
      "import", "Import training examples from CSV (header row) or JSON Lines, or a whole store (--store)");
  command->add_option("file", options->file, "File to import")->required();
  command->add_flag("--store", options->store,
                    "FILE is a whole store written by 'export --store' or 'backup': copy it, ids, models and "
                    "all, into this new, empty store");
  command->add_option("--text-column", options->file_options.textColumn, "Column holding the query text")
      ->capture_default_str();
  command->add_option("--label-column", options->file_options.labelColumn, "Column holding the category")
      ->capture_default_str();
  command->add_option("--format", options->file_options.format, "auto (by extension), csv or jsonl")
      ->transform(CLI::CheckedTransformer(kFormats, CLI::ignore_case));
  command
      ->add_option("--max-length", options->file_options.maxTextLength,
                   "Longest accepted text, in characters")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  command->add_option("--source", options->source, "Source recorded with each example")
      ->capture_default_str();
  command->callback([options, &global] {
    if (options->store) {
      const auto url = global.url();
      const auto summary = store::importStore(options->file, url);
      auto store = global.openStore();
      nlohmann::json rows;
      for (const auto& [table, count] : summary) rows[table] = count;
      recordCommand(*store, "store.import", std::filesystem::path(options->file).filename().string(), rows);
      fmt::print("imported {} into {}:\n", options->file, store->describe());
      printCopy(summary);
      return;
    }
    auto store = global.openStore();
    const auto summary =
        service::TrainingData(*store).importFile(options->file, options->file_options, options->source);
    recordCommand(*store, "examples.import", std::filesystem::path(options->file).filename().string(),
                  importCounts(summary));
    printImport(summary);
  });
}

void addExportCommand(CLI::App& app, const GlobalOptions& global) {
  struct Options {
    std::string file;
    service::FileFormat format = service::FileFormat::kAuto;
    bool store = false;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand(
      "export",
      "Export every training example as CSV (text,label) or JSON Lines, or the whole store (--store)");
  command->add_option("file", options->file, "File to write (replaced atomically)")->required();
  auto* format = command->add_option("--format", options->format, "auto (by extension), csv or jsonl")
                     ->transform(CLI::CheckedTransformer(kFormats, CLI::ignore_case));
  command
      ->add_flag("--store", options->store,
                 "Write the whole store (interactions, models, tokens, audit log…) into FILE, a new SQLite "
                 "database, consistent while servers answer: 'import --store' moves it to any database")
      ->excludes(format);
  command->callback([options, &global] {
    if (options->store) {
      const auto summary = store::exportStore(global.url(), options->file);
      fmt::print("exported the store to {}:\n", options->file);
      printCopy(summary);
      return;
    }
    auto store = global.openStore();
    std::vector<common::Example> rows;
    for (auto& example : service::TrainingData(*store).all()) {
      rows.push_back(std::move(example));
    }
    service::writeExampleFile(options->file, rows, options->format);
    fmt::print("wrote {} examples to {}\n", rows.size(), options->file);
  });
}

void addDemoCommand(CLI::App& app, const GlobalOptions& global) {
  auto dir = std::make_shared<std::string>();
  auto* command = app.add_subcommand("demo", "Load the demo categories, answers and training examples");
  command->add_option("--from", *dir,
                      "Demo data folder (default: $SHOPDESK_DEMO_DIR or the source tree's data/)");
  command->callback([dir, &global] {
    auto store = global.openStore();
    const auto load =
        service::loadDemoData(*store, dir->empty() ? service::defaultDemoDir() : std::filesystem::path(*dir));
    recordCommand(*store, "examples.import", "demo", importCounts(load.examples));
    fmt::print("demo data in {}: {} categories added\n", store->describe(), load.categories);
    printImport(load.examples);
  });
}

}  // namespace shopdesk::cli
