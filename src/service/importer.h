#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "service/example_file.h"
#include "store/store.h"

namespace shopdesk::service {

//! Reads `path` and stores its examples in one transaction: when any record is bad, InputError is thrown and
//! nothing is stored.
store::ImportSummary importExamples(store::Store& store, const std::filesystem::path& path,
                                    const ExampleFileOptions& options, const std::string& source = "import");

//! Stores `rows` as training examples from `source`, in one transaction.
store::ImportSummary storeExamples(store::Store& store, const std::vector<FileExample>& rows,
                                   const std::string& source);

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

//! The demo data folder: $SHOPDESK_DEMO_DIR, else the data/ folder of the source tree this binary was built
//! from.
std::filesystem::path defaultDemoDir();

}  // namespace shopdesk::service
