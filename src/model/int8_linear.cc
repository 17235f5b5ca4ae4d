#include "model/int8_linear.h"

#include <algorithm>
#include <cmath>
#include <oneapi/dnnl/dnnl.hpp>

#include "model/pass_threads.h"

namespace shopdesk::model {

namespace {

using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;

dnnl::engine& cpuEngine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

// to[i] = from[i] * inverse + offset, clamped to [0, levels] and truncated. Inlined into a copy per
// instruction set below, each vectorized for its own.
[[gnu::always_inline]] inline void quantizeLoop(const float* from, std::uint8_t* to, std::int64_t count,
                                                float inverse, float offset, float levels) {
  for (std::int64_t i = 0; i < count; ++i) {
    const float v = std::min(std::max(from[i] * inverse + offset, 0.0f), levels);
    to[i] = static_cast<std::uint8_t>(static_cast<std::int32_t>(v));
  }
}

[[gnu::target("avx512f")]] void quantizeAvx512(const float* from, std::uint8_t* to, std::int64_t count,
                                               float inverse, float offset, float levels) {
  quantizeLoop(from, to, count, inverse, offset, levels);
}

[[gnu::target("avx2")]] void quantizeAvx2(const float* from, std::uint8_t* to, std::int64_t count,
                                          float inverse, float offset, float levels) {
  quantizeLoop(from, to, count, inverse, offset, levels);
}

void quantizeBaseline(const float* from, std::uint8_t* to, std::int64_t count, float inverse, float offset,
                      float levels) {
  quantizeLoop(from, to, count, inverse, offset, levels);
}

// With the SSE2 baseline alone, a dozen shuffles per 16 values made the loop 7% of a bert-base batch. The
// copy is chosen on first use, not by GCC's target_clones: its resolver runs while the dynamic linker
// relocates the library, before ThreadSanitizer is set up, and crashed the tests linked to it.
void quantizeValues(const float* from, std::uint8_t* to, std::int64_t count, float inverse, float offset,
                    float levels) {
  using Quantize = void (*)(const float*, std::uint8_t*, std::int64_t, float, float, float);
  static const Quantize quantize = [] {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return &quantizeAvx512;
    if (__builtin_cpu_supports("avx2")) return &quantizeAvx2;
    return &quantizeBaseline;
  }();
  quantize(from, to, count, inverse, offset, levels);
}

bool hasIsa(dnnl::cpu_isa isa, dnnl::cpu_isa wanted) {
  return (static_cast<unsigned>(isa) & static_cast<unsigned>(wanted)) == static_cast<unsigned>(wanted);
}

}  // namespace

// libtorch's own dynamic int8 linear (quantized::linear_dynamic on oneDNN) bakes the input's scale into the
// primitive it builds, so every query with a new range built a new one: 80 ms for a bert-base query, slower
// than float. Here the scale and zero point are runtime arguments and the primitive is built once.
struct Int8Linear::Kernel {
  std::int64_t in = 0;
  std::int64_t out = 0;
  dnnl::matmul primitive;
  dnnl::memory weights;             //!< s8 [in, out] in the layout the kernel prefers
  dnnl::memory::desc scratchpad;    //!< the kernel's working memory, one per call
  std::vector<float> weightScales;  //!< per output column
  torch::Tensor bias;               //!< f32 [out]
};

bool Int8Linear::supported() {
  static const bool available = [] {
    const auto isa = dnnl::get_effective_cpu_isa();
    return hasIsa(isa, dnnl::cpu_isa::avx512_core_vnni) || hasIsa(isa, dnnl::cpu_isa::avx2_vnni);
  }();
  return available;
}

Int8Linear::Int8Linear(const torch::Tensor& weight, const torch::Tensor& bias)
    : kernel_(std::make_unique<Kernel>()) {
  torch::NoGradGuard noGrad;
  auto& k = *kernel_;
  const auto w = weight.detach().to(torch::kFloat).contiguous();  // [out, in]
  k.out = w.size(0);
  k.in = w.size(1);
  const auto scales = std::get<0>(w.abs().max(1)).clamp_min(1e-8).div(127.0);
  const auto quantized = w.div(scales.unsqueeze(1)).round().clamp(-127, 127).to(torch::kChar).contiguous();
  k.weightScales.assign(scales.data_ptr<float>(), scales.data_ptr<float>() + k.out);
  k.bias = bias.defined() ? bias.detach().to(torch::kFloat).contiguous() : torch::zeros({k.out});

  auto& engine = cpuEngine();
  const dnnl::memory::desc src({DNNL_RUNTIME_DIM_VAL, k.in}, dt::u8, tag::ab);
  const dnnl::memory::desc wei({k.in, k.out}, dt::s8, tag::any);
  const dnnl::memory::desc dst({DNNL_RUNTIME_DIM_VAL, k.out}, dt::f32, tag::ab);
  dnnl::primitive_attr attr;
  attr.set_output_scales(1 << 1, {DNNL_RUNTIME_F32_VAL});
  attr.set_zero_points(DNNL_ARG_SRC, 0, {DNNL_RUNTIME_S32_VAL});
  // oneDNN's own scratchpad belongs to the thread that made the primitive; a scratchpad of each call's own
  // lets several threads run the layer at once (TransformerClassifier::logits does).
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(src, wei, dst), attr, engine);
  k.primitive = dnnl::matmul(pd);
  k.scratchpad = pd.scratchpad_desc();

  // torch's [out, in] row-major is oneDNN's [in, out] in "ba" order; reorder it once into the kernel's
  // layout.
  dnnl::memory plain({{k.in, k.out}, dt::s8, tag::ba}, engine, quantized.data_ptr());
  k.weights = dnnl::memory(pd.weights_desc(), engine);
  dnnl::stream stream(engine);
  dnnl::reorder(plain, k.weights).execute(stream, plain, k.weights);
  stream.wait();
}

Int8Linear::~Int8Linear() = default;

torch::Tensor Int8Linear::forward(const torch::Tensor& x) const {
  const auto& k = *kernel_;
  const auto input = x.to(torch::kFloat).contiguous();
  const std::int64_t rows = input.numel() / k.in;
  auto shape = input.sizes().vec();
  shape.back() = k.out;
  auto output = torch::empty({rows, k.out}, torch::kFloat);
  if (rows == 0) return output.view(shape);

  // The range always holds zero, so that zero (padding, ReLU-like outputs) is exact. Without VNNI, oneDNN
  // adds pairs of u8 x s8 products in 16 bits (vpmaddubsw), which saturate: inputs then get 7 bits, whose
  // pairs (2 x 127 x 127) always fit, so the kernel is exact on any CPU (the product uses it only with VNNI).
  const float levels = supported() ? 255.0f : 127.0f;
  const auto [lowest, highest] = torch::aminmax(input);
  const float lo = std::min(0.0f, lowest.item<float>());
  const float hi = std::max(0.0f, highest.item<float>());
  const float scale = hi > lo ? (hi - lo) / levels : 1.0f;
  const auto zero = static_cast<std::int32_t>(std::clamp(std::nearbyint(-lo / scale), 0.0f, levels));
  // torch::quantize_per_tensor rounds one value at a time; quantizeValues vectorizes.
  auto quantized = torch::empty({rows, k.in}, torch::kByte);
  const float* from = input.data_ptr<float>();
  std::uint8_t* to = quantized.data_ptr<std::uint8_t>();
  const float inverse = 1.0f / scale;
  const float offset = static_cast<float>(zero) + 0.5f;  // + 0.5 then truncation: rounding for values ≥ 0
  at::parallel_for(0, rows * k.in, 1 << 15, [&](std::int64_t begin, std::int64_t end) {
    quantizeValues(from + begin, to + begin, end - begin, inverse, offset, levels);
  });

  std::vector<float> outputScales(k.weightScales.size());
  for (std::size_t n = 0; n < outputScales.size(); ++n) outputScales[n] = scale * k.weightScales[n];
  std::int32_t zeroPoint = zero;

  auto& engine = cpuEngine();
  dnnl::memory src({{rows, k.in}, dt::u8, tag::ab}, engine, quantized.data_ptr());
  dnnl::memory dst({{rows, k.out}, dt::f32, tag::ab}, engine, output.data_ptr<float>());
  dnnl::memory scaleMemory({{k.out}, dt::f32, tag::a}, engine, outputScales.data());
  dnnl::memory zeroMemory({{1}, dt::s32, tag::a}, engine, &zeroPoint);
  auto scratch = torch::empty({std::max<std::int64_t>(1, static_cast<std::int64_t>(k.scratchpad.get_size()))},
                              torch::kByte);
  dnnl::memory scratchpad(k.scratchpad, engine, scratch.data_ptr());
  dnnl::stream stream(engine);
  const MatmulTeam team;
  k.primitive.execute(stream, {{DNNL_ARG_SRC, src},
                               {DNNL_ARG_WEIGHTS, k.weights},
                               {DNNL_ARG_DST, dst},
                               {DNNL_ARG_SCRATCHPAD, scratchpad},
                               {DNNL_ARG_ATTR_OUTPUT_SCALES, scaleMemory},
                               {DNNL_ARG_ATTR_ZERO_POINTS | DNNL_ARG_SRC, zeroMemory}});
  stream.wait();
  output.add_(k.bias);
  return output.view(shape);
}

}  // namespace shopdesk::model
