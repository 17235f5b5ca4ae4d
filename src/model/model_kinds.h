#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace shopdesk::model {

//! What the layers above src/model may know of a kind of model: the CLI, the API and the training job record
//! read it here instead of testing kind names, so adding a kind touches src/model only.
struct ModelKind {
  std::string name;     //!< as in `--kind`, the API's "kind" and model.json
  std::string summary;  //!< one line for a person choosing
  //! Fine-tuned from a Hugging Face checkpoint folder (TrainingOptions::transformer): without one it cannot
  //! train, so a first start never picks it.
  bool fineTunesCheckpoint = false;
  //! Learns in epochs at a learning rate (itself, or an n-gram member): `--epochs` and `--lr` apply.
  bool trainsInEpochs = false;
  //! One forward pass costs about the same for one short query as for many, so answers are batched.
  bool batchesAnswers = false;
  //! Trained by train() but never saved as such: it saves the kind it chose ("auto").
  bool choosesAKind = false;
};

//! Every kind train() takes, the default ("auto") first.
const std::vector<ModelKind>& modelKinds();

//! The kind named `name`; throws std::invalid_argument naming the kinds there are.
const ModelKind& modelKind(std::string_view name);

//! The names of the kinds, the default first; with `needingNoCheckpoint`, only those that train from the
//! stored examples alone.
std::vector<std::string> modelKindNames(bool needingNoCheckpoint = false);

}  // namespace shopdesk::model
