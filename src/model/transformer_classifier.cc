#include "model/transformer_classifier.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include <ATen/Parallel.h>

#include "common/file.h"
#include "model/checkpoint.h"
#include "model/length_batches.h"
#include "model/pass_threads.h"
#include "model/safetensors.h"
#include "model/transformer_state.h"

namespace shopdesk::model {

namespace {

// Texts per forward pass when predicting: large enough to use both cores well.
constexpr std::size_t kPredictBatch = 32;
// What a forward pass costs besides its tokens, in tokens: a bert-base pass over one 16-token query takes
// about as long as 64 tokens inside a large batch (docs/PERFORMANCE.md), so a split that saves fewer padded
// tokens than this is not worth a pass.
constexpr double kPassOverheadTokens = 48;

// OpenMP's thread count is each thread's own setting: a thread the process starts later (the server's model
// worker) sees the default, not what configureTorchThreads set on the main thread. 0 = not configured.
std::atomic<int> configuredThreads{0};

}  // namespace

void configureTorchThreads(int threads) {
  static std::once_flag once;
  std::call_once(once, [threads] {
    // An OMP_NUM_THREADS the user set is libtorch's own default already, and wins over "one per core".
    if (threads <= 0 && std::getenv("OMP_NUM_THREADS")) {
      configuredThreads = torch::get_num_threads();
      return;
    }
    const int n = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    torch::set_num_threads(n);
    configuredThreads = n;
  });
}

int torchThreads() {
  const int n = configuredThreads;
  return n > 0 ? n : torch::get_num_threads();
}

std::shared_ptr<TransformerClassifier::State> TransformerClassifier::State::open(
    const std::filesystem::path& dir, std::int64_t labelCount) {
  if (!std::filesystem::is_directory(dir))
    throw ArtifactError(fmt::format("{}: not a checkpoint folder", dir.string()));
  auto state = std::make_shared<State>();
  const auto config = TransformerConfig::read(dir / "config.json");
  try {
    state->tokenizer = text::loadTokenizer(dir);
  } catch (const text::TokenizerError& e) {
    throw ArtifactError(e.what());
  }
  if (static_cast<std::int64_t>(state->tokenizer->vocabSize()) > config.vocabSize) {
    throw ArtifactError(fmt::format("{}: the tokenizer has {} tokens but config.json's vocab_size is {}",
                                    dir.string(), state->tokenizer->vocabSize(), config.vocabSize));
  }
  for (const auto& file : text::tokenizerFiles(dir))
    state->tokenizerFiles.emplace_back(file.filename().string(), common::readFile(file));
  state->network = TransformerNetwork(config, labelCount);
  return state;
}

std::vector<std::vector<std::int64_t>> TransformerClassifier::State::tokenize(
    const std::vector<std::string>& texts) const {
  // RoBERTa's position table has two rows that are never real positions.
  const auto& config = network->config();
  const auto positions = config.maxPositions - (config.architecture == "roberta" ? config.padTokenId + 1 : 0);
  const auto maxLength = static_cast<std::size_t>(std::min<std::int64_t>(options.maxLength, positions));
  std::vector<std::vector<std::int64_t>> ids;
  ids.reserve(texts.size());
  for (const auto& text : texts) ids.push_back(tokenizer->encode(text, maxLength).ids);
  return ids;
}

std::pair<torch::Tensor, torch::Tensor> TransformerClassifier::State::pad(
    const std::vector<std::vector<std::int64_t>>& ids, const std::vector<std::size_t>& indices) const {
  std::size_t longest = 1;
  for (auto i : indices) longest = std::max(longest, ids[i].size());
  const auto rows = static_cast<std::int64_t>(indices.size());
  auto input = torch::full({rows, static_cast<std::int64_t>(longest)}, tokenizer->padId(), torch::kLong);
  auto mask = torch::zeros({rows, static_cast<std::int64_t>(longest)}, torch::kLong);
  auto* in = input.data_ptr<std::int64_t>();
  auto* m = mask.data_ptr<std::int64_t>();
  for (std::size_t r = 0; r < indices.size(); ++r) {
    const auto& row = ids[indices[r]];
    std::copy(row.begin(), row.end(), in + r * longest);
    std::fill(m + r * longest, m + r * longest + row.size(), 1);
  }
  return {input, mask};
}

TransformerClassifier TransformerClassifier::fromCheckpoint(const std::filesystem::path& dir, int maxLength,
                                                            bool int8) {
  const auto config = TransformerConfig::read(dir / "config.json");
  const auto labelCount = std::max<std::int64_t>(2, static_cast<std::int64_t>(config.labels.size()));
  auto state = State::open(dir, labelCount);
  state->options.checkpoint = dir.string();
  state->options.maxLength = maxLength;
  loadCheckpointWeights(*state->network, dir, true);
  state->labels = config.labels;
  for (auto i = static_cast<std::int64_t>(state->labels.size()); i < labelCount; ++i)
    state->labels.push_back(fmt::format("LABEL_{}", i));
  state->network->eval();
  state->options.int8 = int8 && state->network->quantize(true);
  configureTorchThreads(0);
  return TransformerClassifier(std::move(state));
}

TransformerClassifier TransformerClassifier::load(const std::filesystem::path& dir,
                                                  const nlohmann::json& settings,
                                                  std::vector<std::string> labels) {
  auto state = State::open(dir, static_cast<std::int64_t>(labels.size()));
  try {
    state->options = Options::fromJson(settings);
  } catch (const nlohmann::json::exception& e) {
    throw ArtifactError(std::string("transformer settings in model.json: ") + e.what());
  }
  loadCheckpointWeights(*state->network, dir, true);
  state->labels = std::move(labels);
  state->network->eval();
  if (state->options.int8) state->network->quantize(true);
  configureTorchThreads(state->options.threads);
  return TransformerClassifier(std::move(state));
}

const std::vector<std::string>& TransformerClassifier::labels() const { return state_->labels; }

const TransformerClassifier::Options& TransformerClassifier::options() const { return state_->options; }

bool TransformerClassifier::int8() const { return state_->network->quantized(); }

text::Encoding TransformerClassifier::encode(std::string_view text) const {
  return state_->tokenizer->encode(text, static_cast<std::size_t>(state_->options.maxLength));
}

void TransformerClassifier::State::run(const std::vector<std::vector<std::int64_t>>& ids,
                                       const std::vector<std::size_t>& sorted,
                                       std::vector<std::vector<float>>& out, bool alone) {
  std::vector<std::size_t> lengths(sorted.size());
  for (std::size_t i = 0; i < sorted.size(); ++i) lengths[i] = ids[sorted[i]].size();
  c10::InferenceMode inference;
  std::size_t start = 0;
  for (const auto end : splitByLength(lengths, kPredictBatch, kPassOverheadTokens)) {
    const std::vector<std::size_t> batch(sorted.begin() + start, sorted.begin() + end);
    start = end;
    const auto [input, mask] = pad(ids, batch);
    const PassThreadsScope threads(passThreads(input.numel(), alone, network->quantized()));
    const auto result = network->forward(input, mask).contiguous();
    const auto columns = result.size(1);
    const float* data = result.data_ptr<float>();
    for (std::size_t r = 0; r < batch.size(); ++r)
      out[batch[r]].assign(data + r * columns, data + (r + 1) * columns);
  }
}

std::vector<std::vector<float>> TransformerClassifier::logits(const std::vector<std::string>& texts) const {
  std::vector<std::vector<float>> out(texts.size());
  const auto ids = state_->tokenize(texts);
  std::vector<std::size_t> lengths(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) lengths[i] = ids[i].size();
  const auto shares = shareByLength(lengths, static_cast<std::size_t>(std::max(1, torchThreads())));
  if (shares.size() == 1) {
    state_->run(ids, shares.front(), out, false);
    return out;
  }
  // Each thread runs its share of the texts alone. Both cores working on one pass meet a few hundred times
  // per bert-base pass and wait for each other; apart, a batch of 32 short queries took 0.6 of the time.
  // The helpers are libtorch's inter-op threads: a new thread would rebuild libtorch's thread pool on its
  // first operation.
  std::vector<std::promise<void>> helpers(shares.size() - 1);
  std::vector<std::future<void>> done;
  for (auto& helper : helpers) done.push_back(helper.get_future());
  for (std::size_t s = 1; s < shares.size(); ++s) {
    at::launch([&, s] {
      try {
        state_->run(ids, shares[s], out, true);
        helpers[s - 1].set_value();
      } catch (...) {
        helpers[s - 1].set_exception(std::current_exception());
      }
    });
  }
  std::exception_ptr error;
  try {
    state_->run(ids, shares[0], out, true);
  } catch (...) {
    error = std::current_exception();
  }
  for (auto& helper : done) {
    try {
      helper.get();  // every helper is done with `out` before it goes
    } catch (...) {
      if (!error) error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);
  return out;
}

std::vector<std::vector<Ranked>> TransformerClassifier::predict(const std::vector<std::string>& texts) const {
  std::vector<std::vector<Ranked>> out;
  out.reserve(texts.size());
  for (const auto& row : logits(texts)) {
    const float top = *std::max_element(row.begin(), row.end());
    std::vector<Ranked> ranked(row.size());
    float sum = 0;
    for (std::size_t c = 0; c < row.size(); ++c) {
      ranked[c] = {static_cast<int>(c), std::exp(row[c] - top)};
      sum += ranked[c].probability;
    }
    for (auto& r : ranked) r.probability /= sum;
    std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
      return a.probability > b.probability || (a.probability == b.probability && a.label < b.label);
    });
    out.push_back(std::move(ranked));
  }
  return out;
}

nlohmann::json TransformerClassifier::save(const std::filesystem::path& dir) const {
  if (state_->network->floatReleased())
    throw std::logic_error("a transformer loaded to answer keeps only its int8 weights and cannot be saved");
  auto config = state_->network->config();
  config.labels = state_->labels;
  {
    std::ofstream out(dir / "config.json", std::ios::trunc);
    out << config.toJson().dump(2) << '\n';
    if (!out) throw ArtifactError(fmt::format("{}: cannot write config.json", dir.string()));
  }
  for (const auto& [name, bytes] : state_->tokenizerFiles) {
    std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
    out << bytes;
    if (!out) throw ArtifactError(fmt::format("{}: cannot write {}", dir.string(), name));
  }
  saveCheckpointWeights(*state_->network, dir);
  return state_->options.toJson();
}

}  // namespace shopdesk::model
