#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/commands.h"
#include "model/evaluation.h"
#include "model/model_kinds.h"
#include "model/policy.h"
#include "service/example_file.h"
#include "service/importer.h"
#include "service/model_comparison.h"
#include "service/model_registry.h"

namespace shopdesk::cli {

namespace {

void printProgress(const model::TrainingProgress& p) {
  constexpr int kWidth = 24;
  const int filled = p.epochs ? p.epoch * kWidth / p.epochs : kWidth;
  fmt::print(stderr, "\r[{:<{}}] epoch {:>2}/{}  loss {:.4f}  validation macro-F1 {:.3f}  {:.1f}s",
             std::string(filled, '#'), kWidth, p.epoch, p.epochs, p.loss, p.validationMacroF1, p.seconds);
  if (p.tokensPerSecond > 0) fmt::print(stderr, "  {:.0f} tokens/s", p.tokensPerSecond);
  std::fflush(stderr);
}

std::string percent(double value) { return fmt::format("{:.2f}%", value * 100); }

void printPolicy(const model::PolicyReport& r) {
  const auto verdict = [](bool met) { return met ? "" : "  (below the goal)"; };
  const auto ceiling =
      r.policy.outOfScopeCeiling < 1
          ? fmt::format(", out-of-scope probability at most {:.3g}", r.policy.outOfScopeCeiling)
          : std::string();
  fmt::print(
      "hand-off policy: threshold {:.2f}, ambiguity {:.2f}{}, tuned for {} precise answers and {} of "
      "out-of-scope questions handed off\n",
      r.policy.threshold, r.policy.ambiguity, ceiling, percent(r.goals.answerPrecision),
      percent(r.goals.outOfScopeHandoff));
  fmt::print("  answered and right {} of {} in-scope questions, precision of answers {}{}, handed off {}\n",
             percent(r.inScopeAccuracy), r.inScope, percent(r.answerPrecision), verdict(r.precisionMet()),
             percent(r.handoffRate));
  if (r.outOfScope)
    fmt::print("  out-of-scope handed off {} of {}{}\n", percent(r.outOfScopeRecall), r.outOfScope,
               verdict(r.outOfScopeMet()));
  const auto& c = r.clarify;
  if (c.mass > 1) {
    fmt::print("  \"did you mean …?\" off: no choice of categories would have helped on validation\n");
    return;
  }
  fmt::print(
      "  \"did you mean …?\" when the categories offered hold {:.2f}: asked {} of {} in-scope hand-offs, {} "
      "offered the right category (answered and right with it {}); asked {} of {} out-of-scope hand-offs\n",
      c.mass, c.asked, c.handedOff, c.recovered,
      percent(r.inScope ? static_cast<double>(r.inScopeAccuracy * r.inScope + c.recovered) / r.inScope : 0),
      c.outOfScopeAsked, c.outOfScopeHandedOff);
}

// The demo's out-of-scope queries, when the demo data is there and the user named no file.
std::vector<std::string> outOfScopeQueries(const std::string& file, bool none) {
  if (none) return {};
  if (!file.empty()) return service::readOutOfScope(file);
  const auto demo = service::defaultDemoDir() / "out_of_scope.csv";
  return std::filesystem::exists(demo) ? service::readOutOfScope(demo) : std::vector<std::string>{};
}

}  // namespace

void addTrainCommand(CLI::App& app, const GlobalOptions& global) {
  struct Options {
    model::TrainingOptions training;
    bool activate = false;
    std::string outOfScope;
    bool noOutOfScope = false;
    std::string validation;
    bool json = false;
    int epochs = 0;  // 0: the kind's default
    double learningRate = 0;
  };
  auto o = std::make_shared<Options>();
  auto* command = app.add_subcommand("train", "Train a model on the stored training examples");
  command
      ->add_option(
          "--kind", o->training.kind,
          "Model kind: auto trains linear, ngram and their ensemble and keeps the best on validation")
      ->check(CLI::IsMember(model::modelKindNames()))
      ->capture_default_str();
  command->add_flag("--activate", o->activate, "Serve the new version once trained");
  command->add_option("--seed", o->training.seed, "Seed of the split and the training")
      ->capture_default_str();
  command
      ->add_option("--epochs", o->epochs,
                   "Most epochs (early stopping may end sooner; default 20 for ngram, 4 for transformer)")
      ->check(CLI::PositiveNumber);
  command->add_option("--patience", o->training.patience, "Epochs without improvement before stopping")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_option("--lr", o->learningRate, "Learning rate (default 0.5 for ngram, 5e-5 for transformer)")
      ->check(CLI::PositiveNumber);
  auto& transformer = o->training.transformer;
  command->add_option("--checkpoint", transformer.checkpoint,
                      "transformer: Hugging Face checkpoint folder (config.json, model.safetensors, vocab)");
  command
      ->add_option("--max-length", transformer.maxLength, "transformer: tokens per text, longer ones are cut")
      ->check(CLI::Range(2, 4096))
      ->capture_default_str();
  command->add_option("--batch-size", transformer.batchSize, "transformer: texts per training step")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_flag("--freeze-encoder", transformer.freezeEncoder,
                    "transformer: train the classification head only");
  command->add_flag("--int8,!--float", transformer.int8,
                    "transformer: answer with int8 linear layers (default) or in float");
  command->add_option("--dimension", o->training.ngram.dimension, "Embedding size")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_option("--buckets", o->training.ngram.features.buckets, "Hash buckets for n-grams")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_option("--word-ngrams", o->training.ngram.features.wordNgrams, "Longest word n-gram")
      ->check(CLI::Range(1, 5))
      ->capture_default_str();
  command->add_option("--out-of-scope", o->outOfScope,
                      "CSV of queries in no category (column 'text') for tuning the hand-off policy "
                      "(default: the demo's data/out_of_scope.csv)");
  command->add_flag("--no-out-of-scope", o->noOutOfScope, "Tune the policy on in-scope data only");
  command->add_flag("!--no-out-of-scope-class", o->training.outOfScopeClass,
                    "Use the out-of-scope queries only to tune the policy, not as a label to learn");
  command
      ->add_option("--answer-precision", o->training.goals.answerPrecision,
                   "Policy goal: lowest share of right answers among the questions answered")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  command
      ->add_option("--out-of-scope-handoff", o->training.goals.outOfScopeHandoff,
                   "Policy goal: lowest share of out-of-scope questions handed off")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  command
      ->add_option(
          "--clarify-usefulness", o->training.goals.clarifyUsefulness,
          "Policy goal: lowest share of \"did you mean …?\" questions that offer the asker's category "
          "(1: never ask, hand off instead)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  command->add_option("--validation", o->validation,
                      "text,label CSV to choose the kind, settings and policy on (default: 10% of the stored "
                      "examples)");
  command
      ->add_option("--test-fraction", o->training.testFraction,
                   "Share of the stored examples held out for the report (0: none; evaluate with 'eval')")
      ->check(CLI::Range(0.0, 0.5))
      ->capture_default_str();
  command->add_option("--costs", o->training.linear.costs, "linear: values of C to choose from on validation")
      ->delimiter(',')
      ->check(CLI::PositiveNumber);
  command->add_flag("--json", o->json, "Print the evaluation report as JSON");
  command->callback([o, &global] {
    if (o->epochs > 0) o->training.setEpochs(o->epochs);
    if (o->learningRate > 0) o->training.setLearningRate(o->learningRate);
    try {
      o->training.check();
    } catch (const std::invalid_argument& e) {  // the kind is one --kind allows: the checkpoint is missing
      throw std::invalid_argument(fmt::format("{}: name it with --checkpoint DIR", e.what()));
    }
    if (!o->validation.empty()) {
      for (auto& row : service::readExampleFile(o->validation, {}))
        o->training.validation.push_back({std::move(row.text), std::move(row.label)});
    }
    auto store = global.openStore();
    service::ModelRegistry registry(*store, global.dataDir);
    const auto oos = outOfScopeQueries(o->outOfScope, o->noOutOfScope);
    const auto trained = registry.train(o->training, oos, o->activate, printProgress);
    recordCommand(*store, "model.train", trained.version.version,
                  {{"kind", trained.version.kind}, {"activate", o->activate}});
    fmt::print(stderr, "\n");
    const auto& r = trained.result;
    if (o->json) {
      auto report = r.card.metrics;
      report["version"] = trained.version.version;
      fmt::print("{}\n", report.dump());
      return;
    }
    fmt::print("trained {} on {} examples in {:.1f}s\n", trained.version.version, r.examples,
               r.card.metrics.value("training_seconds", 0.0));
    if (const auto& candidates = r.card.metrics["candidates"]; candidates.size() > 1) {
      std::vector<std::string> scores;
      for (const auto& [kind, score] : candidates.items())
        scores.push_back(fmt::format("{} {}", kind, percent(score["accuracy"].get<double>())));
      fmt::print("kind chosen on validation accuracy: {} ({})\n", r.card.kind, fmt::join(scores, ", "));
    }
    if (const auto conflicts = r.card.metrics["conflicting_texts"]["count"].get<std::size_t>())
      fmt::print(
          "left out {} text(s) stored under more than one label (see the report's conflicting_texts)\n",
          conflicts);
    fmt::print("held-out test split: {}", r.test.summary());
    printPolicy(r.policy);
    fmt::print("artifact: {}\n{}\n", trained.version.artifactPath,
               trained.version.active
                   ? "active: new answers use this version"
                   : "not active: 'shopdesk models activate " + trained.version.version + "'");
  });
}

void addEvalCommand(CLI::App& app, const GlobalOptions& global) {
  struct Options {
    std::string version;
    std::string data;
    std::string outOfScope;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  auto* command = app.add_subcommand(
      "eval",
      "Evaluate a model version on a text,label CSV (labels the model does not know count as out-of-scope)");
  command->add_option("--version", o->version, "Model version (default: the active one)");
  command->add_option("--data", o->data, "CSV with text,label (default: the report from training)");
  command->add_option("--out-of-scope", o->outOfScope, "CSV of out-of-scope queries (column 'text')");
  command->add_flag("--json", o->json, "Print one JSON object with top-level accuracy and macro_f1");
  command->callback([o, &global] {
    auto store = global.openStore();
    service::ModelRegistry registry(*store, global.dataDir);
    const auto loaded = o->version.empty() ? registry.loadActive() : registry.load(o->version);
    if (o->data.empty()) {
      fmt::print("{}\n", o->json ? loaded.card.metrics.dump() : loaded.card.metrics.dump(2));
      return;
    }
    const auto& labels = loaded.classifier->labels();
    std::map<std::string, int> index;
    for (std::size_t i = 0; i < labels.size(); ++i) index.emplace(labels[i], static_cast<int>(i));
    std::vector<std::string> inScope;
    std::vector<int> truth;
    std::vector<std::string> outOfScope =
        o->outOfScope.empty() ? std::vector<std::string>{} : service::readOutOfScope(o->outOfScope);
    for (auto& row : service::readExampleFile(o->data, {})) {
      auto it = index.find(row.label);
      if (it == index.end() || row.label == model::kOutOfScopeLabel) {
        outOfScope.push_back(std::move(row.text));
      } else {
        inScope.push_back(std::move(row.text));
        truth.push_back(it->second);
      }
    }
    const auto rankings = loaded.classifier->predict(inScope);
    const auto evaluation =
        model::evaluateRankings(labels, rankings, truth, loaded.card.policy.outOfScopeLabel);
    const auto goals =
        model::PolicyGoals::fromJson(loaded.card.metrics.value("policy", nlohmann::json::object())
                                         .value("goals", nlohmann::json::object()));
    const auto policy = model::scorePolicy(loaded.card.policy, rankings, truth,
                                           loaded.classifier->predict(outOfScope), goals);
    if (o->json) {
      auto report = evaluation.toJson();
      report["policy"] = policy.toJson();
      fmt::print("{}\n", report.dump());
      return;
    }
    fmt::print("{}", evaluation.summary());
    printPolicy(policy);
  });
}

void addClassifyCommand(CLI::App& app, const GlobalOptions& global) {
  struct Options {
    std::vector<std::string> texts;
    std::string version;
    bool json = false;
    int top = 3;
  };
  auto o = std::make_shared<Options>();
  auto* command = app.add_subcommand("classify", "Classify texts with a model version");
  command->add_option("text", o->texts, "Texts to classify")->required();
  command->add_option("--version", o->version, "Model version (default: the active one)");
  command->add_option("--top", o->top, "How many categories to show")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_flag("--json", o->json, "One JSON object per text, in input order");
  command->callback([o, &global] {
    auto store = global.openStore();
    service::ModelRegistry registry(*store, global.dataDir);
    const auto loaded = o->version.empty() ? registry.loadActive() : registry.load(o->version);
    const auto& labels = loaded.classifier->labels();
    const auto rankings = loaded.classifier->predict(o->texts);
    const int outOfScopeLabel = loaded.card.policy.outOfScopeLabel;
    for (std::size_t i = 0; i < rankings.size(); ++i) {
      const bool handoff = loaded.card.policy.handOff(rankings[i]);
      const auto ranking = model::categoryRanking(rankings[i], outOfScopeLabel);
      const auto shown = std::min<std::size_t>(ranking.size(), static_cast<std::size_t>(o->top));
      // The out-of-scope label is no category, but its probability is half of the hand-off decision
      // (AnswerPolicy::outOfScopeCeiling): shown apart, null for a model without it.
      std::optional<double> outOfScope;
      for (const auto& r : rankings[i]) {
        if (r.label == outOfScopeLabel) outOfScope = r.probability;
      }
      if (o->json) {
        nlohmann::json top = nlohmann::json::array();
        for (std::size_t k = 0; k < shown; ++k) {
          top.push_back({{"category", labels[static_cast<std::size_t>(ranking[k].label)]},
                         {"probability", ranking[k].probability}});
        }
        fmt::print("{}\n",
                   nlohmann::json{{"text", o->texts[i]},
                                  {"category", labels[static_cast<std::size_t>(ranking[0].label)]},
                                  {"confidence", ranking[0].probability},
                                  {"out_of_scope", outOfScope ? nlohmann::json(*outOfScope) : nullptr},
                                  {"handoff", handoff},
                                  {"ranking", top}}
                       .dump());
        continue;
      }
      fmt::print("{}\n", o->texts[i]);
      for (std::size_t k = 0; k < shown; ++k) {
        fmt::print("  {:<26} {:.3f}\n", labels[static_cast<std::size_t>(ranking[k].label)],
                   ranking[k].probability);
      }
      if (outOfScope) fmt::print("  {:<26} {:.3f}\n", "(out of scope)", *outOfScope);
      if (handoff)
        fmt::print("  → hand off to a person (unsure, or like the questions no category covers)\n");
    }
  });
}

namespace {

void addCompareCommand(CLI::App& models, const GlobalOptions& global) {
  struct Options {
    std::string version;
    std::int64_t limit = 10000;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  auto* command = models.add_subcommand(
      "compare",
      "What activating a version would change on the store's own questions, against the active one");
  command->add_option("version", o->version, "Version name")->required();
  command->add_option("--limit", o->limit, "Newest questions replayed (labelled ones and all ones)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1000000}))
      ->capture_default_str();
  command->add_flag("--json", o->json, "Print the comparison as JSON");
  command->callback([o, &global] {
    auto store = global.openStore();
    service::ModelRegistry registry(*store, global.dataDir);
    const auto c = service::ModelComparer(*store, registry).compareWithActive(o->version, o->limit);
    if (o->json) return fmt::print("{}\n", c.toJson().dump(2));
    fmt::print("{} (active) against {}\n", c.active, c.candidate);
    fmt::print("  on {} questions with a known right category: {} -> {}\n", c.labelled,
               percent(c.activeAccuracy), percent(c.candidateAccuracy));
    fmt::print("  on the newest {} questions: {} answers change category; handed off {} -> {}\n", c.traffic,
               c.changed, percent(c.activeHandoff), percent(c.candidateHandoff));
    for (const auto* list : {&c.newlyRight, &c.newlyWrong}) {
      if (list->empty()) continue;
      fmt::print("  newly {}:\n", list == &c.newlyRight ? "right" : "wrong");
      for (const auto& q : *list)
        fmt::print("    #{} \"{}\": {} -> {} (right: {})\n", q.interactionId, q.query, q.active, q.candidate,
                   q.truth);
    }
  });
}

}  // namespace

void addModelsCommand(CLI::App& app, const GlobalOptions& global) {
  auto* command = app.add_subcommand("models", "List, activate and delete model versions");
  command->require_subcommand(1);
  command->add_subcommand("list", "List model versions, newest first")->callback([&global] {
    auto store = global.openStore();
    const auto versions = service::ModelRegistry(*store, global.dataDir).versions();
    fmt::print("{:<2}{:<28} {:<8} {:>9} {:>9}  {}\n", "", "version", "kind", "accuracy", "macro-F1", "data");
    for (const auto& v : versions) {
      const auto metrics = nlohmann::json::parse(v.metrics, nullptr, false);
      const auto number = [&](const char* key) {
        return metrics.is_object() && metrics.contains(key) ? percent(metrics[key].get<double>())
                                                            : std::string("-");
      };
      fmt::print("{:<2}{:<28} {:<8} {:>9} {:>9}  {}\n", v.active ? "*" : "", v.version, v.kind,
                 number("accuracy"), number("macro_f1"), v.dataFingerprint);
    }
    fmt::print("{} versions{}\n", versions.size(),
               versions.empty() ? ": train one with 'shopdesk train --activate'" : "");
  });
  auto version = std::make_shared<std::string>();
  using Action = void (service::ModelRegistry::*)(const std::string&);
  const auto onVersion = [&](const char* name, const char* help, Action action, const char* done) {
    auto* sub = command->add_subcommand(name, help);
    sub->add_option("version", *version, "Version name")->required();
    sub->callback([version, &global, action, done, audited = std::string("model.") + name] {
      auto store = global.openStore();
      service::ModelRegistry registry(*store, global.dataDir);
      (registry.*action)(*version);
      recordCommand(*store, audited, *version);
      fmt::print("{}: {}\n", done, *version);
    });
  };
  onVersion("activate", "Serve a version", &service::ModelRegistry::activate, "active");
  addCompareCommand(*command, global);
  onVersion("delete", "Delete an inactive version and its artifact", &service::ModelRegistry::remove,
            "deleted");
}

}  // namespace shopdesk::cli
