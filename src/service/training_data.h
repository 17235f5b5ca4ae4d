#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "service/example_file.h"
#include "store/store.h"

namespace shopdesk::service {

//! The examples models learn from: added by agents one at a time, imported from files, listed, exported and
//! deleted. A label no category has yet creates that category.
class TrainingData {
 public:
  explicit TrainingData(store::Store& store);

  //! One page of examples, newest first.
  store::Page<store::TrainingExample> find(const store::ExampleFilter& filter);
  //! Every example, oldest first.
  std::vector<store::TrainingExample> all();
  //! Stores one example from `source`; one already stored is counted as a duplicate, not stored twice.
  store::ImportSummary add(const common::Example& example, const std::string& source);
  //! Stores `rows` from `source` in one transaction.
  store::ImportSummary addAll(const std::vector<FileExample>& rows, const std::string& source);
  //! Reads `path` and stores its examples in one transaction: when any record is bad, InputError is thrown
  //! and nothing is stored.
  store::ImportSummary importFile(const std::filesystem::path& path, const ExampleFileOptions& options,
                                  const std::string& source = "import");
  //! Deletes one example; throws store::NotFoundError.
  void remove(std::int64_t id);

 private:
  store::Store& store_;
};

}  // namespace shopdesk::service
