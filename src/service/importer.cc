#include "service/importer.h"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include <spdlog/spdlog.h>

#include "service/catalog.h"
#include "service/training_data.h"

namespace shopdesk::service {

namespace {

std::string requiredString(const nlohmann::json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) {
    throw std::invalid_argument(fmt::format("{}: '{}' must be a string", where, key));
  }
  return it->get<std::string>();
}

store::Recommendation readRecommendation(const nlohmann::json& item, const std::string& where) {
  if (!item.is_object()) throw std::invalid_argument(where + ": a recommendation must be an object");
  store::Recommendation r{requiredString(item, "title", where), requiredString(item, "body", where), {}, {}};
  if (auto action = item.find("action"); action != item.end()) {
    if (!action->is_object()) throw std::invalid_argument(where + ": 'action' must be an object");
    r.actionLabel = requiredString(*action, "label", where + " action");
    r.actionUrl = requiredString(*action, "url", where + " action");
  }
  return r;
}

}  // namespace

std::vector<store::Category> readCatalog(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path.string(), 0, fmt::format("cannot read: {}", std::strerror(errno)));
  try {
    const auto document = nlohmann::json::parse(in);
    if (!document.is_array()) throw std::invalid_argument("expected a JSON array of categories");
    std::vector<store::Category> categories;
    for (std::size_t i = 0; i < document.size(); ++i) {
      const auto& item = document[i];
      const std::string where = fmt::format("category #{}", i + 1);
      if (!item.is_object()) throw std::invalid_argument(where + ": expected an object");
      store::Category category;
      category.name = requiredString(item, "name", where);
      category.description = requiredString(item, "description", where);
      category.response = requiredString(item, "response", where);
      if (auto flag = item.find("small_talk"); flag != item.end()) {
        if (!flag->is_boolean()) throw std::invalid_argument(where + ": 'small_talk' must be true or false");
        category.smallTalk = flag->get<bool>();
      }
      if (auto list = item.find("recommendations"); list != item.end()) {
        if (!list->is_array()) throw std::invalid_argument(where + ": 'recommendations' must be an array");
        for (const auto& r : *list) category.recommendations.push_back(readRecommendation(r, where));
      }
      categories.push_back(std::move(category));
    }
    return categories;
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path.string(), 0, fmt::format("malformed JSON: {}", e.what()));
  } catch (const std::invalid_argument& e) {
    throw InputError(path.string(), 0, e.what());
  }
}

DemoLoad loadDemoData(store::Store& store, const std::filesystem::path& dir) {
  DemoLoad load;
  // Categories an agent has already written an answer for keep it: the demo only fills in what is missing.
  std::set<std::string> answered;
  for (const auto& category : store.categories()) {
    if (!category.response.empty()) answered.insert(category.name);
  }
  std::vector<store::Category> missing;
  for (auto& category : readCatalog(dir / "categories.json")) {
    if (!answered.contains(category.name)) missing.push_back(std::move(category));
  }
  load.categories = Catalog(store, nullptr).save(missing);
  load.examples = TrainingData(store).importFile(dir / "train.csv", ExampleFileOptions{}, "demo");
  return load;
}

void bootstrapStore(store::Store& store, ModelRegistry& registry, const std::vector<std::string>& outOfScope,
                    const std::string& kind) {
  if (store.stats().trainingExamples == 0) {
    const auto demo = defaultDemoDir();
    if (std::filesystem::exists(demo / "train.csv")) {
      const auto load = loadDemoData(store, demo);
      spdlog::info("loaded the demo data: {} categories, {} training examples", load.categories,
                   load.examples.inserted);
    }
  }
  if (!store.activeModelVersion() && store.stats().trainingExamples > 0) {
    spdlog::info("no active model: training one (kind {})", kind);
    model::TrainingOptions options;
    options.kind = kind;
    const auto trained = registry.train(options, outOfScope, true);
    spdlog::info("trained {}: test accuracy {:.1f}%", trained.version.version,
                 trained.result.test.accuracy * 100);
  }
}

std::filesystem::path defaultDemoDir() {
  if (const char* dir = std::getenv("SHOPDESK_DEMO_DIR"); dir && *dir) return dir;
  return SHOPDESK_SOURCE_DIR "/data";
}

}  // namespace shopdesk::service
