// The int8 layer against a reference computed in float on the same quantized weights and inputs: the kernel
// must add up exactly what the quantization gives it, on any CPU. CTest runs this twice, as the CPU is and
// with oneDNN held to AVX2 (no VNNI), so the path a CPU without VNNI would take is checked on every machine.
#include "model/int8_linear.h"

#include <gtest/gtest.h>
#include <omp.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "model/pass_threads.h"

using shopdesk::model::Int8Linear;
using shopdesk::model::PassThreads;
using shopdesk::model::PassThreadsScope;

namespace {

// What Int8Linear promises to compute: weights rounded per output row to int8 (symmetric), the input rounded
// per call to uint8 over a range that holds zero (255 steps with VNNI, 127 without), the integer products
// summed exactly and scaled back.
torch::Tensor quantizedReference(const torch::Tensor& weight, const torch::Tensor& bias,
                                 const torch::Tensor& x) {
  const auto w = weight.to(torch::kDouble);
  const auto rowScale = std::get<0>(w.abs().max(1)).clamp_min(1e-8).div(127.0);
  const auto wq = w.div(rowScale.unsqueeze(1)).round().clamp(-127, 127);

  const auto input = x.reshape({-1, x.size(-1)}).to(torch::kDouble);
  const double lo = std::min(0.0, input.min().item<double>());
  const double hi = std::max(0.0, input.max().item<double>());
  const double levels = Int8Linear::supported() ? 255 : 127;
  const double scale = static_cast<float>(hi > lo ? (hi - lo) / levels : 1.0);
  const double zero = std::clamp(std::nearbyint(-lo / scale), 0.0, levels);
  const auto xq = input.div(scale).add(zero + 0.5).clamp(0, levels).floor();

  const auto sums = torch::matmul(xq - zero, wq.t());  // integers, exact in double
  auto out = sums.mul(rowScale.mul(scale)).add(bias.to(torch::kDouble));
  auto shape = x.sizes().vec();
  shape.back() = weight.size(0);
  return out.to(torch::kFloat).view(shape);
}

double largestError(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>();
}

}  // namespace

TEST(Int8Linear, AddsUpExactlyWhatTheQuantizationGivesIt) {
  torch::manual_seed(7);
  // Wide enough rows (768, as bert-base) that a kernel summing pairs of u8 x s8 products in 16 bits would
  // saturate on inputs near the top of their range.
  const auto weight = torch::randn({48, 768});
  const auto bias = torch::randn({48});
  for (const auto& x :
       {torch::randn({5, 768}), torch::rand({3, 768}).mul(4), torch::randn({2, 3, 768}).sub(1)}) {
    const Int8Linear layer(weight, bias);
    const auto got = layer.forward(x);
    const auto want = quantizedReference(weight, bias, x);
    ASSERT_EQ(got.sizes(), want.sizes());
    // float32 output scales against double: a few ulps of the largest output.
    EXPECT_LE(largestError(got, want), 1e-5 * want.abs().max().item<double>() + 1e-5);
    // And close to the float layer it replaces: the error quantization costs, bounded.
    const auto exact = torch::linear(x, weight, bias);
    EXPECT_LE(largestError(got, exact), 0.03 * exact.abs().max().item<double>());
  }
}

TEST(Int8Linear, ZeroRowsAndAllZeroInputs) {
  const auto weight = torch::randn({4, 8});
  const auto bias = torch::randn({4});
  const Int8Linear layer(weight, bias);
  EXPECT_EQ(layer.forward(torch::zeros({0, 8})).sizes(), (std::vector<std::int64_t>{0, 4}));
  // Zero is exact whatever the range, so all-zero input gives the bias, as padding must.
  const auto out = layer.forward(torch::zeros({2, 8}));
  EXPECT_TRUE(torch::equal(out[0], bias));
  EXPECT_TRUE(torch::equal(out[1], bias));
}

TEST(Int8Linear, AShortPassSplitsItsMatmulsAcrossTwoThreadsAndGetsTheSameSums) {
  at::set_num_threads(2);
  torch::manual_seed(11);
  // bert-base's widest layer (split in two) and a classifier head (too narrow to split).
  for (const auto& [out, in] : {std::pair<std::int64_t, std::int64_t>{3072, 768}, {19, 768}}) {
    const Int8Linear layer(torch::randn({out, in}), torch::randn({out}));
    const auto x = torch::randn({16, in});  // one short question
    torch::Tensor alone;
    {
      const PassThreadsScope threads(PassThreads::kOne);
      EXPECT_FALSE(PassThreadsScope::shareMatmuls());
      alone = layer.forward(x);
    }
    for (int repeat = 0; repeat < 20; ++repeat) {  // the helper takes its half sooner or later each time
      const PassThreadsScope threads(PassThreads::kMatmulsOnly);
      EXPECT_EQ(omp_get_max_threads(), 1);  // layer norms, attention, activations: the calling thread
      EXPECT_TRUE(PassThreadsScope::shareMatmuls());
      // The products are summed in integers, so however the columns are shared, the result is the same.
      EXPECT_TRUE(torch::equal(alone, layer.forward(x))) << out << " columns";
    }
    EXPECT_EQ(omp_get_max_threads(), 2);
    EXPECT_FALSE(PassThreadsScope::shareMatmuls());
  }
}
