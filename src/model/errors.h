#pragma once

#include <stdexcept>

namespace shopdesk::model {

//! A model folder, checkpoint or safetensors file that cannot be used: missing, truncated, of the wrong
//! shape, or lacking what the reader asked for; the message names the file (and the tensor, where there is
//! one).
class ArtifactError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

//! Thrown by a training run, of any kind, cancelled through its `cancel` flag.
class TrainingCancelled : public std::runtime_error {
 public:
  TrainingCancelled() : std::runtime_error("training cancelled") {}
};

}  // namespace shopdesk::model
