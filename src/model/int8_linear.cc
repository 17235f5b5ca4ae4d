#include "model/int8_linear.h"

#include <omp.h>
#include <algorithm>
#include <cmath>

#include <ATen/Parallel.h>
#include <oneapi/dnnl/dnnl.hpp>

#include "model/matmul_helper.h"
#include "model/pass_threads.h"

namespace shopdesk::model {

namespace {

using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;

// Rows (tokens) from which a layer's two halves run on two threads outside a short pass (kMatmulsOnly).
constexpr std::int64_t kSplitRows = 128;

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

// One half's primitive and weights (the rows of `rows` are its output columns); it writes its columns of an
// [rows, out] output in place.
dnnl::matmul makeHalf(std::int64_t in, std::int64_t out, const torch::Tensor& rows, dnnl::memory& weights,
                      dnnl::memory::desc& scratchpad) {
  const auto size = rows.size(0);
  auto& engine = cpuEngine();
  const dnnl::memory::desc src({DNNL_RUNTIME_DIM_VAL, in}, dt::u8, tag::ab);
  const dnnl::memory::desc wei({in, size}, dt::s8, tag::any);
  const dnnl::memory::desc dst({DNNL_RUNTIME_DIM_VAL, size}, dt::f32, {out, 1});
  dnnl::primitive_attr attr;
  attr.set_output_scales(1 << 1, {DNNL_RUNTIME_F32_VAL});
  attr.set_zero_points(DNNL_ARG_SRC, 0, {DNNL_RUNTIME_S32_VAL});
  // oneDNN's own scratchpad belongs to the thread that made the primitive; a scratchpad of each call's own
  // lets several threads run the layer at once (TransformerClassifier::logits, MatmulHelper).
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(src, wei, dst), attr, engine);
  scratchpad = pd.scratchpad_desc();

  // torch's [out, in] row-major is oneDNN's [in, out] in "ba" order; reorder it once into the kernel's
  // layout.
  dnnl::memory plain({{in, size}, dt::s8, tag::ba}, engine, rows.data_ptr());
  weights = dnnl::memory(pd.weights_desc(), engine);
  dnnl::stream stream(engine);
  dnnl::reorder(plain, weights).execute(stream, plain, weights);
  stream.wait();
  return dnnl::matmul(pd);
}

}  // namespace

// libtorch's own dynamic int8 linear (quantized::linear_dynamic on oneDNN) bakes the input's scale into the
// primitive it builds, so every query with a new range built a new one: 80 ms for a bert-base query, slower
// than float. Here the scale and zero point are runtime arguments and the primitive is built once.
struct Int8Linear::Kernel {
  //! The output columns [begin, begin + size): one matmul each, so that two threads can run one call.
  struct Half {
    std::int64_t begin = 0;
    std::int64_t size = 0;
    dnnl::matmul primitive;
    dnnl::memory weights;           //!< s8 [in, size] in the layout the kernel prefers
    dnnl::memory::desc scratchpad;  //!< the kernel's working memory, one per call
  };
  std::int64_t in = 0;
  std::int64_t out = 0;
  std::vector<Half> halves;         //!< two, or one for a layer too narrow to split
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

  // A classifier head's few columns are not worth a second thread.
  const std::int64_t halves = k.out >= 64 ? 2 : 1;
  for (std::int64_t h = 0; h < halves; ++h) {
    Kernel::Half half;
    half.begin = k.out * h / halves;
    half.size = k.out * (h + 1) / halves - half.begin;
    half.primitive = makeHalf(k.in, k.out, quantized.narrow(0, half.begin, half.size).contiguous(),
                              half.weights, half.scratchpad);
    k.halves.push_back(std::move(half));
  }
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
  dnnl::memory zeroMemory({{1}, dt::s32, tag::a}, engine, &zeroPoint);
  // Only oneDNN runs in a half: it may run on MatmulHelper's thread, which libtorch has never seen.
  const auto runHalf = [&](int h) {
    const auto& half = k.halves[static_cast<std::size_t>(h)];
    dnnl::memory dst({{rows, half.size}, dt::f32, {k.out, 1}}, engine, output.data_ptr<float>() + half.begin);
    dnnl::memory scaleMemory({{half.size}, dt::f32, tag::a}, engine, outputScales.data() + half.begin);
    std::vector<std::uint8_t> scratch(std::max<std::size_t>(1, half.scratchpad.get_size()));
    dnnl::memory scratchpad(half.scratchpad, engine, scratch.data());
    dnnl::stream stream(engine);
    half.primitive.execute(stream, {{DNNL_ARG_SRC, src},
                                    {DNNL_ARG_WEIGHTS, half.weights},
                                    {DNNL_ARG_DST, dst},
                                    {DNNL_ARG_SCRATCHPAD, scratchpad},
                                    {DNNL_ARG_ATTR_OUTPUT_SCALES, scaleMemory},
                                    {DNNL_ARG_ATTR_ZERO_POINTS | DNNL_ARG_SRC, zeroMemory}});
    stream.wait();
  };
  const auto halves = static_cast<int>(k.halves.size());
  if (halves == 2 && PassThreadsScope::shareMatmuls()) {
    MatmulHelper::instance().runBoth(runHalf);
  } else if (rows < kSplitRows) {
    // Fewer rows are not worth waking a sleeping thread for (as oneDNN judged for the whole layer before it
    // was cut in two): a 64-token pass took 25 ms so, and 32-35 ms with each matmul on both threads.
    const PassThreadsScope alone(PassThreads::kOne);
    for (int h = 0; h < halves; ++h) runHalf(h);
  } else if (halves == 2 && omp_get_max_threads() == 2) {
    // One parallel region, a half per thread (oneDNN runs alone inside it): two regions would wake the other
    // thread twice.
    at::parallel_for(0, 2, 1, [&](std::int64_t begin, std::int64_t end) {
      for (auto h = begin; h < end; ++h) runHalf(static_cast<int>(h));
    });
  } else {
    for (int h = 0; h < halves; ++h) runHalf(h);
  }
  output.add_(k.bias);
  return output.view(shape);
}

}  // namespace shopdesk::model
