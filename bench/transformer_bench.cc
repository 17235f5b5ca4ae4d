// In-process speed of the transformer classifier (Google Benchmark), for each checkpoint named on the command
// line:
//
//   transformer_bench init DIR --shape tiny|bert-base [--vocab vocab.txt]   writes a random checkpoint
//   transformer_bench [--benchmark_* flags] --model NAME=DIR [--train-examples NAME=N] …
//
// Benchmarks per model NAME (the _int8 ones run the linear layers in int8, as trained models answer by
// default):
//   NAME/query[_int8]      one demo query of about 16 tokens through TransformerClassifier::logits
//   NAME/batch32[_int8]    32 short demo queries in one call (items/s = queries/s)
//   NAME/tokens[_int8]/N   the network alone on one sequence of N tokens (how latency grows with length)
//   NAME/dynamic[_int8]    one ~16-token query at its own length (what shopdesk does)
//   NAME/padded512         the same query in float, padded to 512 tokens with a zero mask (the original
//   design) NAME/train          TransformerClassifier::train, one epoch over N demo examples, batch 16, max
//   length 128;
//                       counters: tokens_per_second (from the epoch hook, loading excluded)
// Run with OMP_WAIT_POLICY=PASSIVE (see PLATFORM.md).
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "model/checkpoint.h"
#include "model/checkpoint_tools.h"
#include "model/pass_threads.h"
#include "model/transformer_classifier.h"
#include "model/transformer_config.h"
#include "model/transformer_network.h"
#include "model/transformer_state.h"
#include "service/example_file.h"
#include "text/subword_tokenizer.h"

using namespace shopdesk;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kQueryTokens = 16;  // the target's "one query of ~16 tokens"
constexpr int kPaddedLength = 512;        // the original design padded every query to 512 tokens

struct Demo {
  std::vector<std::string> labels, trainTexts, testTexts;
  std::vector<int> trainTargets;
};

const Demo& demo() {
  static const Demo d = [] {
    Demo d;
    std::map<std::string, int> index;
    for (auto& row : service::readExampleFile(SHOPDESK_SOURCE_DIR "/data/train.csv", {})) {
      auto [it, added] = index.emplace(row.label, static_cast<int>(d.labels.size()));
      if (added) d.labels.push_back(row.label);
      d.trainTexts.push_back(std::move(row.text));
      d.trainTargets.push_back(it->second);
    }
    for (auto& row : service::readExampleFile(SHOPDESK_SOURCE_DIR "/data/test.csv", {}))
      d.testTexts.push_back(std::move(row.text));
    return d;
  }();
  return d;
}

// ---- init: a random checkpoint of a named shape ----

int initCommand(const std::vector<std::string>& args) {
  std::string dir, shape = "tiny", vocab;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--shape" && i + 1 < args.size()) {
      shape = args[++i];
    } else if (args[i] == "--vocab" && i + 1 < args.size()) {
      vocab = args[++i];
    } else if (dir.empty()) {
      dir = args[i];
    } else {
      std::cerr << "init: unexpected argument " << args[i] << "\n";
      return 2;
    }
  }
  model::CheckpointSpec spec;
  spec.architecture = "bert";
  spec.maxPositions = kPaddedLength;
  spec.labels = demo().labels;
  if (shape == "tiny") {  // google/bert_uncased_L-2_H-128_A-2 ("bert-tiny")
    spec.layers = 2, spec.hiddenSize = 128, spec.heads = 2, spec.intermediateSize = 512;
  } else if (shape == "bert-base") {  // bert-base-uncased
    spec.layers = 12, spec.hiddenSize = 768, spec.heads = 12, spec.intermediateSize = 3072;
  } else {
    std::cerr << "init: --shape is tiny or bert-base\n";
    return 2;
  }
  if (dir.empty()) {
    std::cerr << "usage: transformer_bench init DIR --shape tiny|bert-base [--vocab vocab.txt]\n";
    return 2;
  }
  spec.vocabSize = 8000;  // the demo texts give fewer; replaced below when a real vocabulary is given
  model::initCheckpoint(dir, spec, demo().trainTexts);
  if (!vocab.empty()) {
    // A real vocabulary (e.g. bert-base-uncased's 30,522 tokens): the embedding table follows it, so the
    // weights are made again for the new size.
    fs::copy_file(vocab, fs::path(dir) / "vocab.txt", fs::copy_options::overwrite_existing);
    std::ifstream in(vocab);
    std::int64_t lines = 0;
    for (std::string line; std::getline(in, line);) ++lines;
    auto raw = nlohmann::json::parse(std::ifstream(fs::path(dir) / "config.json"));
    raw["vocab_size"] = lines;
    std::ofstream(fs::path(dir) / "config.json") << raw.dump(2) << '\n';
    const auto config = model::TransformerConfig::read(fs::path(dir) / "config.json");
    torch::manual_seed(spec.seed);
    model::TransformerNetworkImpl network(config, static_cast<std::int64_t>(spec.labels.size()));
    model::saveCheckpointWeights(network, dir);
  }
  const auto tokenizer = text::loadTokenizer(dir);
  fmt::print(
      "wrote a random {} checkpoint to {}: {} layers, hidden {}, {} heads, intermediate {}, vocabulary {} "
      "({})\n",
      shape, dir, spec.layers, spec.hiddenSize, spec.heads, spec.intermediateSize, tokenizer->vocabSize(),
      vocab.empty() ? "built from the demo texts" : vocab);
  return 0;
}

// ---- the benchmarks ----

struct Model {
  std::string name;
  fs::path dir;
  std::size_t trainExamples = 256;
};

// What the classifier path needs, loaded once per model on first use (a model filtered out is never loaded).
struct Loaded {
  std::unique_ptr<model::TransformerClassifier> classifier;
  std::vector<std::string> queries;  // demo test queries of about kQueryTokens tokens, in file order
  double queryTokens = 0;            // their mean token count
  std::vector<std::string> batch;    // the first 32 demo test queries
};

const Loaded& loaded(const Model& m, bool int8) {
  static std::map<std::pair<std::string, bool>, std::unique_ptr<Loaded>> cache;
  auto& slot = cache[{m.name, int8}];
  if (slot) return *slot;
  slot = std::make_unique<Loaded>();
  slot->classifier = std::make_unique<model::TransformerClassifier>(
      model::TransformerClassifier::fromCheckpoint(m.dir, 512, int8));
  // The queries nearest to kQueryTokens tokens: exactly that many when there are enough, else widen.
  const auto& texts = demo().testTexts;
  for (std::size_t slack = 0; slot->queries.size() < 20 && slack < 64; ++slack) {
    slot->queries.clear();
    for (const auto& t : texts) {
      const auto n = slot->classifier->encode(t).ids.size();
      if (n + slack >= kQueryTokens && n <= kQueryTokens + slack) slot->queries.push_back(t);
    }
  }
  double tokens = 0;
  for (const auto& q : slot->queries) tokens += static_cast<double>(slot->classifier->encode(q).ids.size());
  slot->queryTokens = tokens / static_cast<double>(slot->queries.size());
  slot->batch.assign(texts.begin(), texts.begin() + std::min<std::size_t>(32, texts.size()));
  return *slot;
}

// The network alone, loaded for the padding and length benchmarks.
struct Network {
  model::TransformerNetwork network{nullptr};
  std::unique_ptr<text::SubwordTokenizer> tokenizer;
  std::vector<std::int64_t> query;  // the ids of one ~16-token demo query
};

Network& network(const Model& m, bool int8) {
  static std::map<std::pair<std::string, bool>, std::unique_ptr<Network>> cache;
  auto& slot = cache[{m.name, int8}];
  if (slot) return *slot;
  slot = std::make_unique<Network>();
  const auto config = model::TransformerConfig::read(m.dir / "config.json");
  slot->network = model::TransformerNetwork(config, static_cast<std::int64_t>(config.labels.size()));
  model::loadCheckpointWeights(*slot->network, m.dir, true);
  slot->network->eval();
  if (int8) slot->network->quantize();
  model::configureTorchThreads(0);
  slot->tokenizer = text::loadTokenizer(m.dir);
  std::size_t bestDistance = SIZE_MAX;
  for (const auto& t : demo().testTexts) {
    auto ids = slot->tokenizer->encode(t, kPaddedLength).ids;
    const auto distance = ids.size() > kQueryTokens ? ids.size() - kQueryTokens : kQueryTokens - ids.size();
    if (distance < bestDistance) bestDistance = distance, slot->query = std::move(ids);
  }
  return *slot;
}

// ids [1, length]: `ids` then padding, with a mask of ones over `ids` only.
std::pair<torch::Tensor, torch::Tensor> padded(const std::vector<std::int64_t>& ids, std::int64_t length,
                                               std::int64_t padId) {
  auto input = torch::full({1, length}, padId, torch::kLong);
  auto mask = torch::zeros({1, length}, torch::kLong);
  std::copy(ids.begin(), ids.end(), input.data_ptr<std::int64_t>());
  std::fill_n(mask.data_ptr<std::int64_t>(), ids.size(), 1);
  return {input, mask};
}

void query(benchmark::State& state, const Model& m, bool int8) {
  const auto& l = loaded(m, int8);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(l.classifier->logits({l.queries[i++ % l.queries.size()]}));
  state.SetItemsProcessed(state.iterations());
  state.counters["tokens"] = l.queryTokens;
  state.counters["distinct_queries"] = static_cast<double>(l.queries.size());
  state.counters["int8"] = l.classifier->int8();
}

void batch32(benchmark::State& state, const Model& m, bool int8) {
  const auto& l = loaded(m, int8);
  for (auto _ : state) benchmark::DoNotOptimize(l.classifier->logits(l.batch));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(l.batch.size()));
  std::size_t longest = 0;
  for (const auto& q : l.batch) longest = std::max(longest, l.classifier->encode(q).ids.size());
  state.counters["padded_tokens"] = static_cast<double>(longest);
  state.counters["int8"] = l.classifier->int8();
}

void tokens(benchmark::State& state, const Model& m, bool int8) {
  auto& n = network(m, int8);
  const auto length = state.range(0);
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::int64_t> id(1000,
                                                 static_cast<std::int64_t>(n.tokenizer->vocabSize()) - 1);
  std::vector<std::int64_t> ids(static_cast<std::size_t>(length));
  for (auto& x : ids) x = id(rng);
  const auto [input, mask] = padded(ids, length, n.tokenizer->padId());
  c10::InferenceMode inference;
  // As the classifier runs a pass of this length (model/pass_threads.h).
  const model::PassThreadsScope threads(model::passThreads(input.numel(), false, n.network->quantized()));
  for (auto _ : state) benchmark::DoNotOptimize(n.network->forward(input, mask));
  state.SetItemsProcessed(state.iterations());
  state.counters["int8"] = n.network->quantized();
}

void dynamicOrPadded(benchmark::State& state, const Model& m, bool pad, bool int8) {
  auto& n = network(m, int8);
  const auto length = pad ? kPaddedLength : static_cast<std::int64_t>(n.query.size());
  const auto [input, mask] = padded(n.query, length, n.tokenizer->padId());
  c10::InferenceMode inference;
  if (pad) {
    // The padded input must give the same answer as the short one, or the comparison would be unfair.
    const auto [shortInput, shortMask] = padded(n.query, static_cast<std::int64_t>(n.query.size()), 0);
    const auto difference = (n.network->forward(input, mask) - n.network->forward(shortInput, shortMask))
                                .abs()
                                .max()
                                .item<float>();
    state.counters["max_logit_difference"] = difference;
  }
  // As the classifier runs it: a question's few tokens on the calling thread alone, 512 on every core.
  const model::PassThreadsScope threads(model::passThreads(input.numel(), false, n.network->quantized()));
  for (auto _ : state) benchmark::DoNotOptimize(n.network->forward(input, mask));
  state.SetItemsProcessed(state.iterations());
  state.counters["tokens"] = static_cast<double>(n.query.size());
  state.counters["sequence_length"] = static_cast<double>(length);
  state.counters["int8"] = n.network->quantized();
}

void train(benchmark::State& state, const Model& m) {
  const auto& d = demo();
  // A fixed random subset of the demo training data, so that every category is there in the same mix.
  std::vector<std::size_t> order(d.trainTexts.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937_64(11));
  order.resize(std::min(order.size(), m.trainExamples));
  std::vector<std::string> texts;
  std::vector<int> targets;
  for (auto i : order) texts.push_back(d.trainTexts[i]), targets.push_back(d.trainTargets[i]);
  model::TransformerClassifier::Options options;
  options.checkpoint = m.dir.string();
  options.maxLength = 128;
  options.epochs = 1;
  options.batchSize = 16;
  double tokensPerSecond = 0;
  const model::EpochHook hook = [&](const model::EpochProgress& p, const model::Classifier&) {
    tokensPerSecond = p.tokensPerSecond;
    return model::EpochVerdict{false, true};  // keep no copy of the weights: this is not about accuracy
  };
  std::vector<double> rates;
  for (auto _ : state) {
    benchmark::DoNotOptimize(model::TransformerClassifier::train(texts, targets, d.labels, options, hook));
    rates.push_back(tokensPerSecond);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(texts.size()));
  double mean = 0;
  for (double r : rates) mean += r / static_cast<double>(rates.size());
  state.counters["tokens_per_second"] = mean;
  state.counters["examples"] = static_cast<double>(texts.size());
  state.counters["batch_size"] = options.batchSize;
}

void registerModel(const Model& m) {
  const auto ms = benchmark::kMillisecond;
  for (const bool int8 : {false, true}) {
    const std::string suffix = int8 ? "_int8" : "";
    // Wall-clock time, so that queries/s is what a caller gets: a batch keeps threads other than the
    // calling one busy, which the calling thread's CPU time leaves out.
    benchmark::RegisterBenchmark((m.name + "/query" + suffix).c_str(), query, m, int8)
        ->Unit(ms)
        ->UseRealTime();
    benchmark::RegisterBenchmark((m.name + "/batch32" + suffix).c_str(), batch32, m, int8)
        ->Unit(ms)
        ->UseRealTime();
  }
  for (const bool int8 : {false, true}) {
    const std::string suffix = int8 ? "_int8" : "";
    auto* lengths = benchmark::RegisterBenchmark((m.name + "/tokens" + suffix).c_str(), tokens, m, int8);
    lengths->Unit(ms);
    for (int n : {8, 16, 64, 128, 512}) lengths->Arg(n);
    benchmark::RegisterBenchmark((m.name + "/dynamic" + suffix).c_str(), dynamicOrPadded, m, false, int8)
        ->Unit(ms);
  }
  // The original design: float, every query padded to 512 tokens.
  benchmark::RegisterBenchmark((m.name + "/padded512").c_str(), dynamicOrPadded, m, true, false)->Unit(ms);
  benchmark::RegisterBenchmark((m.name + "/train").c_str(), train, m)
      ->Unit(benchmark::kSecond)
      ->Iterations(1)
      ->UseRealTime();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "init") {
    try {
      return initCommand(std::vector<std::string>(argv + 2, argv + argc));
    } catch (const std::exception& e) {
      std::cerr << "init: " << e.what() << "\n";
      return 1;
    }
  }
  benchmark::Initialize(&argc, argv);
  std::vector<Model> models;
  std::map<std::string, std::size_t> trainExamples;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool hasValue = i + 1 < argc;
    const std::string value = hasValue ? argv[i + 1] : "";
    const auto eq = value.find('=');
    if ((arg == "--model" || arg == "--train-examples") && hasValue && eq != std::string::npos) {
      if (arg == "--model") {
        models.push_back({value.substr(0, eq), value.substr(eq + 1)});
      } else {
        trainExamples[value.substr(0, eq)] = std::stoul(value.substr(eq + 1));
      }
      ++i;
      continue;
    }
    std::cerr
        << "unknown argument " << arg
        << "\nusage: transformer_bench [--benchmark_* flags] --model NAME=DIR [--train-examples NAME=N] …\n"
           "       transformer_bench init DIR --shape tiny|bert-base [--vocab vocab.txt]\n";
    return 2;
  }
  if (models.empty()) {
    std::cerr
        << "name at least one checkpoint with --model NAME=DIR (make one with: transformer_bench init)\n";
    return 2;
  }
  for (auto& m : models) {
    if (auto it = trainExamples.find(m.name); it != trainExamples.end()) m.trainExamples = it->second;
    registerModel(m);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
