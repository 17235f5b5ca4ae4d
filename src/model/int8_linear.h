#pragma once

#include <torch/torch.h>

#include <memory>

namespace shopdesk::model {

//! A linear layer with int8 weights (symmetric, one scale per output row) whose inputs are quantized on the
//! fly (asymmetric, one scale per call), run by a oneDNN int8 matmul. The primitive is made once per layer
//! with the row count, input scale and zero point as runtime arguments, so queries of any length and range
//! reuse it.
class Int8Linear {
 public:
  //! Whether the CPU has the int8 dot-product instructions (AVX-512 or AVX VNNI) that make this pay off.
  static bool supported();

  Int8Linear(const torch::Tensor& weight, const torch::Tensor& bias);
  ~Int8Linear();

  //! x [..., in] → [..., out], like torch::linear with the original weights.
  torch::Tensor forward(const torch::Tensor& x) const;

 private:
  struct Kernel;  // oneDNN's types stay out of this header
  std::unique_ptr<Kernel> kernel_;
};

}  // namespace shopdesk::model
