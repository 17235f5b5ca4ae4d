#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "model/classifier.h"

namespace shopdesk::model {

//! Several classifiers of the same labels voting: the weighted mean of their log-probabilities, sharpened or
//! softened by a temperature, as one distribution (a log-linear pool, which rewards members agreeing).
//! Weights and temperature are chosen on validation data.
class EnsembleClassifier final : public Classifier {
 public:
  struct Member {
    std::shared_ptr<const Classifier> classifier;
    double weight = 1;
  };

  //! Combines `members` with weights chosen among {0.1, 0.2, …, 0.9} for two members (equal weights for
  //! more) by accuracy on the validation texts, then the temperature that makes the validation labels most
  //! likely. Throws std::invalid_argument when members are fewer than two or their labels differ.
  static EnsembleClassifier combine(std::vector<std::shared_ptr<const Classifier>> members,
                                    const std::vector<std::string>& validationTexts,
                                    const std::vector<int>& validationTargets);

  //! These weights and temperature over `members`, the same kinds in the same order (retrained on more
  //! data). Throws std::invalid_argument when their number, kinds or labels differ.
  EnsembleClassifier withMembers(std::vector<std::shared_ptr<const Classifier>> members) const;

  //! Reads a member's folder: (kind, folder, settings, labels) → classifier.
  using MemberLoader = std::function<std::shared_ptr<const Classifier>(
      const std::string&, const std::filesystem::path&, const nlohmann::json&,
      const std::vector<std::string>&)>;
  //! Loads what save() wrote, each member through `loadMember`; throws ArtifactError when the settings do not
  //! fit.
  static EnsembleClassifier load(const std::filesystem::path& dir, const nlohmann::json& settings,
                                 std::vector<std::string> labels, const MemberLoader& loadMember);

  std::string kind() const override { return "ensemble"; }
  const std::vector<std::string>& labels() const override { return labels_; }
  std::vector<std::vector<Ranked>> predict(const std::vector<std::string>& texts) const override;
  //! Each member in its own folder (DIR/<kind>), with the weights and temperature in the settings.
  nlohmann::json save(const std::filesystem::path& dir) const override;

  const std::vector<Member>& members() const { return members_; }
  double temperature() const { return temperature_; }

 private:
  EnsembleClassifier(std::vector<Member> members, double temperature);
  // Per text, the pooled log-probability of each label (before the temperature).
  std::vector<std::vector<double>> pooled(const std::vector<std::string>& texts) const;

  std::vector<Member> members_;
  std::vector<std::string> labels_;
  double temperature_ = 1;
};

}  // namespace shopdesk::model
