#pragma once

#include <functional>

#include "model/classifier.h"

namespace shopdesk::model {

//! Progress of a training run, reported once per epoch.
struct EpochProgress {
  int epoch = 0;
  int epochs = 0;
  double loss = 0;             //!< mean training loss of the epoch
  double tokensPerSecond = 0;  //!< training throughput (transformers; 0 for kinds without tokens)
};

//! What the caller decides after an epoch: keep this epoch's weights as the best so far, and go on or stop.
struct EpochVerdict {
  bool best = true;
  bool more = true;
};

//! Called after every epoch with the model as it is then. A kind's train() returns the weights of the last
//! epoch the hook called best.
using EpochHook = std::function<EpochVerdict(const EpochProgress&, const Classifier&)>;

}  // namespace shopdesk::model
