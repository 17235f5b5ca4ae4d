#pragma once

// The demo store's train.csv and test.csv as label indices, read once per test executable.
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <string>
#include <vector>

#include "service/example_file.h"

namespace shopdesk::testing {

struct DemoFiles {
  std::vector<std::string> labels;  //!< in order of first appearance in train.csv
  std::vector<std::string> trainTexts, testTexts;
  std::vector<int> trainTargets, testTargets;
};

inline const DemoFiles& demoFiles() {
  static const DemoFiles files = [] {
    DemoFiles d;
    std::map<std::string, int> index;
    const std::filesystem::path dir = SHOPDESK_SOURCE_DIR "/data";
    for (auto& row : service::readExampleFile(dir / "train.csv", {})) {
      auto [it, added] = index.emplace(row.label, static_cast<int>(d.labels.size()));
      if (added) d.labels.push_back(row.label);
      d.trainTexts.push_back(std::move(row.text));
      d.trainTargets.push_back(it->second);
    }
    for (auto& row : service::readExampleFile(dir / "test.csv", {})) {
      d.testTexts.push_back(std::move(row.text));
      d.testTargets.push_back(index.at(row.label));
    }
    return d;
  }();
  return files;
}

//! Writes the first `perLabel` training rows of each of the first `labels` categories as a text,label CSV: a
//! small store for tests about what happens around a model rather than what it learns.
inline void writeDemoSubset(const std::filesystem::path& file, int labels, int perLabel) {
  const auto& demo = demoFiles();
  std::ofstream out(file);
  out << "text,label\n";
  std::vector<int> taken(demo.labels.size(), 0);
  for (std::size_t i = 0; i < demo.trainTexts.size(); ++i) {
    const int label = demo.trainTargets[i];
    if (label < labels && taken[label]++ < perLabel)
      out << std::quoted(demo.trainTexts[i], '"', '"') << ',' << demo.labels[label] << '\n';
  }
}

//! Writes a demo folder like data/ (categories.json, train.csv, out_of_scope.csv) with `perLabel` training
//! rows of every category and the first `perLabel` out-of-scope queries.
inline void writeDemoDir(const std::filesystem::path& dir, int perLabel) {
  const std::filesystem::path demo = SHOPDESK_SOURCE_DIR "/data";
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(demo / "categories.json", dir / "categories.json",
                             std::filesystem::copy_options::overwrite_existing);
  writeDemoSubset(dir / "train.csv", static_cast<int>(demoFiles().labels.size()), perLabel);
  std::ifstream in(demo / "out_of_scope.csv");
  std::ofstream out(dir / "out_of_scope.csv");
  std::string line;
  for (int i = 0; i <= perLabel && std::getline(in, line); ++i) out << line << '\n';  // the header, then rows
}

}  // namespace shopdesk::testing
