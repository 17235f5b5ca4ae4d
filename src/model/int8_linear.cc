#include "model/int8_linear.h"

#include <ATen/core/dispatch/Dispatcher.h>

#include <algorithm>
#include <mutex>

namespace shopdesk::model {

namespace {

// libtorch's C++ API has no quantize_dynamic, but the quantized operators are registered with the
// dispatcher; they are called boxed so that their packed-weights type stays out of our code.
c10::OperatorHandle op(const char* name) {
  return c10::Dispatcher::singleton().findSchemaOrThrow(name, "");
}

}  // namespace

bool Int8Linear::supported() {
  static const bool available = [] {
    const auto& engines = at::globalContext().supportedQEngines();
    if (std::find(engines.begin(), engines.end(), at::QEngine::ONEDNN) == engines.end()) return false;
    at::globalContext().setQEngine(at::QEngine::ONEDNN);
    return true;
  }();
  return available;
}

Int8Linear::Int8Linear(const torch::Tensor& weight, const torch::Tensor& bias) {
  torch::NoGradGuard noGrad;
  const auto w = weight.detach().contiguous();
  const auto scales = std::get<0>(w.abs().max(1)).clamp_min(1e-8).div(127.0).to(torch::kDouble);
  const auto zeroPoints = torch::zeros({w.size(0)}, torch::kLong);
  static const auto prepack = op("quantized::linear_prepack");
  torch::jit::Stack stack{torch::quantize_per_channel(w, scales, zeroPoints, 0, torch::kQInt8),
                          c10::optional<torch::Tensor>(bias.detach().contiguous())};
  prepack.callBoxed(stack);
  packed_ = std::move(stack.at(0));
}

torch::Tensor Int8Linear::forward(const torch::Tensor& x) const {
  static const auto linear = op("quantized::linear_dynamic");
  torch::jit::Stack stack{x.contiguous(), packed_, false};
  linear.callBoxed(stack);
  return stack.at(0).toTensor();
}

}  // namespace shopdesk::model
