#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "service/example_file.h"
#include "service/model_registry.h"
#include "store/store.h"

namespace shopdesk::service {

//! Reads a category catalog (categories.json: name, description, response, recommendations); throws
//! InputError.
std::vector<store::Category> readCatalog(const std::filesystem::path& path);

//! What loadDemoData did.
struct DemoLoad {
  std::size_t categories = 0;  //!< categories added or completed
  store::ImportSummary examples;
};

//! Loads `dir`/categories.json and `dir`/train.csv into `store`; running it again changes nothing.
DemoLoad loadDemoData(store::Store& store, const std::filesystem::path& dir);

//! A first start: loads the demo data into a store with no training examples, then trains a model of `kind`
//! and activates it when none is active, so the first question gets an answer.
void bootstrapStore(store::Store& store, ModelRegistry& registry, const std::vector<std::string>& outOfScope,
                    const std::string& kind);

//! The demo data folder: $SHOPDESK_DEMO_DIR, else the data/ folder of the source tree this binary was built
//! from.
std::filesystem::path defaultDemoDir();

}  // namespace shopdesk::service
