#include "service/training_data.h"

namespace shopdesk::service {

TrainingData::TrainingData(store::Store& store) : store_(store) {}

store::Page<store::TrainingExample> TrainingData::find(const store::ExampleFilter& filter) {
  return store_.findTrainingExamples(filter);
}

std::vector<store::TrainingExample> TrainingData::all() { return store_.trainingExamples(); }

store::ImportSummary TrainingData::add(const common::Example& example, const std::string& source) {
  return store_.addTrainingExamples(std::vector<store::TrainingExample>{{example, 0, source}});
}

store::ImportSummary TrainingData::addAll(const std::vector<FileExample>& rows, const std::string& source) {
  std::vector<store::TrainingExample> examples;
  examples.reserve(rows.size());
  for (const auto& row : rows) examples.push_back({row, 0, source});
  return store_.addTrainingExamples(examples);
}

store::ImportSummary TrainingData::importFile(const std::filesystem::path& path,
                                              const ExampleFileOptions& options, const std::string& source) {
  return addAll(readExampleFile(path, options), source);
}

void TrainingData::remove(std::int64_t id) { store_.deleteTrainingExample(id); }

}  // namespace shopdesk::service
