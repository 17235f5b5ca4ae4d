// Commands a user runs to trust a Hugging Face checkpoint before training on it: what the tokenizer makes of
// a text, what the network computes, what the folder holds; and a maker of tiny checkpoints for tests.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "model/torch_module.h"
#include "service/importer.h"
#include "service/model_registry.h"
#include "text/subword_tokenizer.h"

namespace shopdesk::cli {

void addTokenizeCommand(CLI::App& app) {
  struct Options {
    std::string checkpoint;
    std::vector<std::string> texts;
    std::size_t maxLength = 512;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  auto* command = app.add_subcommand("tokenize", "Show the tokens and ids a checkpoint's tokenizer gives");
  command->add_option("--checkpoint", o->checkpoint, "Hugging Face checkpoint folder")->required();
  command->add_option("text", o->texts, "Texts to tokenize")->required();
  command->add_option("--max-length", o->maxLength, "Tokens per text, special tokens included")
      ->check(CLI::Range(2, 100000))
      ->capture_default_str();
  command->add_flag("--json", o->json, "One JSON object per text, in input order");
  command->callback([o] {
    const auto tokenizer = text::loadTokenizer(o->checkpoint);
    for (const auto& t : o->texts) {
      const auto encoding = tokenizer->encode(t, o->maxLength);
      if (o->json) {
        fmt::print("{}\n",
                   nlohmann::json{{"text", t}, {"tokens", encoding.tokens}, {"ids", encoding.ids}}.dump());
      } else {
        fmt::print("{}\n  tokens: {}\n  ids:    {}\n", t, fmt::join(encoding.tokens, " "),
                   fmt::join(encoding.ids, " "));
      }
    }
  });
}

namespace {

void addLogits(CLI::App& parent) {
  struct Options {
    std::string dir;
    std::vector<std::string> texts;
    int maxLength = 512;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  auto* command = parent.add_subcommand(
      "logits", "Raw logits of the checkpoint's classification head, in eval mode, each text alone");
  command->add_option("dir", o->dir, "Checkpoint folder")->required();
  command->add_option("text", o->texts, "Texts")->required();
  command->add_option("--max-length", o->maxLength, "Tokens per text")->check(CLI::Range(2, 100000));
  command->add_flag("--json", o->json, "One JSON object per text, in input order");
  command->callback([o] {
    const auto result = model::torchModule().checkpointLogits(o->dir, o->maxLength, o->texts);
    for (std::size_t t = 0; t < o->texts.size(); ++t) {
      const auto& logits = result.logits[t];
      if (o->json) {
        fmt::print(
            "{}\n",
            nlohmann::json{{"text", o->texts[t]}, {"logits", logits}, {"labels", result.labels}}.dump());
      } else {
        fmt::print("{}\n", o->texts[t]);
        for (std::size_t i = 0; i < logits.size(); ++i)
          fmt::print("  {:<26} {:+.6f}\n", result.labels[i], logits[i]);
      }
    }
  });
}

void addInspect(CLI::App& parent) {
  struct Options {
    std::string dir;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  auto* command =
      parent.add_subcommand("inspect", "Architecture, sizes, tokenizer and tensors of a checkpoint");
  command->add_option("dir", o->dir, "Checkpoint folder")->required();
  command->add_flag("--json", o->json, "Print one JSON object");
  command->callback([o] {
    const auto info = model::torchModule().inspectCheckpoint(o->dir);
    if (o->json) {
      fmt::print("{}\n", info.dump());
      return;
    }
    fmt::print("{}: {} with {} layers, hidden size {}, {} heads, intermediate {}, {} positions\n",
               info["path"].get<std::string>(), info["architecture"].get<std::string>(),
               info["layers"].get<int>(), info["hidden_size"].get<int>(), info["heads"].get<int>(),
               info["intermediate_size"].get<int>(), info["max_positions"].get<int>());
    fmt::print("tokenizer: {} with {} tokens; weights: {} ({} parameters)\n",
               info["tokenizer"]["kind"].get<std::string>(), info["tokenizer"]["vocab_size"].get<int>(),
               info["weights"].get<std::string>(), info["parameters"].get<std::int64_t>());
    const auto& labels = info["labels"];
    fmt::print("classification head: {}\n",
               labels.empty() ? std::string("none (a base checkpoint)") : labels.dump());
    for (const auto& t : info["tensors"]) {
      fmt::print("  {:<64} {:<5} {}\n", t["name"].get<std::string>(), t["dtype"].get<std::string>(),
                 t["shape"].dump());
    }
  });
}

void addInit(CLI::App& parent) {
  struct Options {
    std::string dir;
    model::CheckpointSpec spec;
    std::string texts;
    std::string labels;
  };
  auto o = std::make_shared<Options>();
  auto* command = parent.add_subcommand(
      "init", "Write a small random checkpoint in Hugging Face's layout (for tests; no download)");
  command->add_option("dir", o->dir, "Folder to write")->required();
  command->add_option("--arch", o->spec.architecture, "bert, roberta or distilbert")
      ->check(CLI::IsMember({"bert", "roberta", "distilbert"}))
      ->capture_default_str();
  command->add_option("--layers", o->spec.layers)->check(CLI::Range(1, 48))->capture_default_str();
  command->add_option("--hidden", o->spec.hiddenSize)->check(CLI::Range(2, 4096))->capture_default_str();
  command->add_option("--heads", o->spec.heads)->check(CLI::Range(1, 64))->capture_default_str();
  command->add_option("--intermediate", o->spec.intermediateSize)
      ->check(CLI::Range(1, 16384))
      ->capture_default_str();
  command->add_option("--max-positions", o->spec.maxPositions)
      ->check(CLI::Range(8, 8192))
      ->capture_default_str();
  command->add_option("--vocab-size", o->spec.vocabSize, "WordPiece tokens, or BPE merges for roberta")
      ->check(CLI::Range(300, 200000))
      ->capture_default_str();
  command->add_option("--texts", o->texts,
                      "CSV with a 'text' column to learn the vocabulary from (default: the demo data)");
  command->add_option("--labels", o->labels,
                      "Comma-separated labels for a classification head (default: none)");
  command->add_option("--seed", o->spec.seed)->capture_default_str();
  command->callback([o] {
    const auto source = o->texts.empty() ? (service::defaultDemoDir() / "train.csv").string() : o->texts;
    const auto texts = service::readOutOfScope(source);
    if (!o->labels.empty()) {
      std::string label;
      for (std::size_t i = 0; i <= o->labels.size(); ++i) {
        if (i == o->labels.size() || o->labels[i] == ',') {
          if (!label.empty()) o->spec.labels.push_back(label);
          label.clear();
        } else {
          label += o->labels[i];
        }
      }
    }
    if (o->spec.hiddenSize % o->spec.heads != 0)
      throw std::invalid_argument("--hidden must be divisible by --heads");
    model::torchModule().initCheckpoint(o->dir, o->spec, texts);
    fmt::print("wrote a random {} checkpoint to {} (vocabulary from {})\n", o->spec.architecture, o->dir,
               source);
  });
}

}  // namespace

void addCheckpointCommand(CLI::App& app) {
  auto* command = app.add_subcommand("checkpoint", "Inspect Hugging Face checkpoints, or make a tiny one");
  command->require_subcommand(1);
  addInspect(*command);
  addLogits(*command);
  addInit(*command);
}

}  // namespace shopdesk::cli
