// A second, deliberately naive implementation of the three encoders and their heads: plain loops over
// std::vector, written from Hugging Face's formulas (exact erf GELU, post-LN, the pooler or head of each
// architecture, RoBERTa's position ids), reading the weights straight from model.safetensors. The libtorch
// network must agree with it to 1e-4 on every architecture.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "model/safetensors.h"
#include "model/transformer_config.h"

namespace reference {

using Vec = std::vector<float>;
using Mat = std::vector<Vec>;  // rows = tokens

struct Weights {
  shopdesk::model::TensorMap tensors;
  Vec get(const std::string& name) const { return tensors.at(name).toFloats(name, tensors.at(name).shape); }
  std::vector<std::int64_t> shape(const std::string& name) const { return tensors.at(name).shape; }
};

inline Vec linear(const Weights& w, const std::string& name, const Vec& x) {
  const auto weight = w.get(name + ".weight");
  const auto bias = w.get(name + ".bias");
  const auto out = static_cast<std::size_t>(w.shape(name + ".weight")[0]);
  Vec y(out);
  for (std::size_t o = 0; o < out; ++o) {
    double sum = bias[o];
    for (std::size_t i = 0; i < x.size(); ++i) sum += static_cast<double>(weight[o * x.size() + i]) * x[i];
    y[o] = static_cast<float>(sum);
  }
  return y;
}

inline Vec layerNorm(const Weights& w, const std::string& name, const Vec& x, double eps) {
  double mean = 0, var = 0;
  for (float v : x) mean += v;
  mean /= static_cast<double>(x.size());
  for (float v : x) var += (v - mean) * (v - mean);
  var /= static_cast<double>(x.size());
  const auto gain = w.get(name + ".weight");
  const auto bias = w.get(name + ".bias");
  Vec y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    y[i] = static_cast<float>((x[i] - mean) / std::sqrt(var + eps) * gain[i] + bias[i]);
  return y;
}

inline float gelu(float x) { return static_cast<float>(0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)))); }

inline Vec add(Vec a, const Vec& b) {
  for (std::size_t i = 0; i < a.size(); ++i) a[i] += b[i];
  return a;
}

//! Logits of one unpadded sequence of token ids.
inline Vec logits(const shopdesk::model::TransformerConfig& c, const Weights& w,
                  const std::vector<std::int64_t>& ids) {
  const bool distil = c.architecture == "distilbert";
  const std::string p = c.architecture + ".";
  const auto hidden = static_cast<std::size_t>(c.hiddenSize);
  const auto words = w.get(p + "embeddings.word_embeddings.weight");
  const auto positions = w.get(p + "embeddings.position_embeddings.weight");
  Mat x;
  for (std::size_t t = 0; t < ids.size(); ++t) {
    // RoBERTa: real tokens are numbered from padding_idx + 1.
    const std::size_t position =
        c.architecture == "roberta" ? t + 1 + static_cast<std::size_t>(c.padTokenId) : t;
    Vec e(hidden);
    for (std::size_t h = 0; h < hidden; ++h)
      e[h] = words[static_cast<std::size_t>(ids[t]) * hidden + h] + positions[position * hidden + h];
    if (!distil) {
      const auto types = w.get(p + "embeddings.token_type_embeddings.weight");
      for (std::size_t h = 0; h < hidden; ++h) e[h] += types[h];
    }
    x.push_back(layerNorm(w, p + "embeddings.LayerNorm", e, c.layerNormEps));
  }
  const auto heads = static_cast<std::size_t>(c.heads);
  const std::size_t d = hidden / heads;
  for (std::int64_t l = 0; l < c.layers; ++l) {
    const std::string b = p + (distil ? "transformer.layer." : "encoder.layer.") + std::to_string(l) + ".";
    const std::string q = distil ? b + "attention.q_lin" : b + "attention.self.query";
    const std::string k = distil ? b + "attention.k_lin" : b + "attention.self.key";
    const std::string v = distil ? b + "attention.v_lin" : b + "attention.self.value";
    const std::string o = distil ? b + "attention.out_lin" : b + "attention.output.dense";
    const std::string n1 = distil ? b + "sa_layer_norm" : b + "attention.output.LayerNorm";
    const std::string f1 = distil ? b + "ffn.lin1" : b + "intermediate.dense";
    const std::string f2 = distil ? b + "ffn.lin2" : b + "output.dense";
    const std::string n2 = distil ? b + "output_layer_norm" : b + "output.LayerNorm";
    Mat Q, K, V;
    for (const auto& row : x) {
      Q.push_back(linear(w, q, row));
      K.push_back(linear(w, k, row));
      V.push_back(linear(w, v, row));
    }
    Mat next;
    for (std::size_t i = 0; i < x.size(); ++i) {
      Vec context(hidden, 0.0f);
      for (std::size_t h = 0; h < heads; ++h) {
        std::vector<double> scores(x.size());
        double top = -1e300;
        for (std::size_t j = 0; j < x.size(); ++j) {
          double s = 0;
          for (std::size_t e = 0; e < d; ++e) s += static_cast<double>(Q[i][h * d + e]) * K[j][h * d + e];
          scores[j] = s / std::sqrt(static_cast<double>(d));
          top = std::max(top, scores[j]);
        }
        double total = 0;
        for (auto& s : scores) total += (s = std::exp(s - top));
        for (std::size_t j = 0; j < x.size(); ++j)
          for (std::size_t e = 0; e < d; ++e)
            context[h * d + e] += static_cast<float>(scores[j] / total) * V[j][h * d + e];
      }
      const auto attended = layerNorm(w, n1, add(linear(w, o, context), x[i]), c.layerNormEps);
      auto inner = linear(w, f1, attended);
      for (auto& value : inner) value = gelu(value);
      next.push_back(layerNorm(w, n2, add(linear(w, f2, inner), attended), c.layerNormEps));
    }
    x = std::move(next);
  }
  if (c.architecture == "bert") {
    auto pooled = linear(w, "bert.pooler.dense", x[0]);
    for (auto& value : pooled) value = std::tanh(value);
    return linear(w, "classifier", pooled);
  }
  if (c.architecture == "roberta") {
    auto dense = linear(w, "classifier.dense", x[0]);
    for (auto& value : dense) value = std::tanh(value);
    return linear(w, "classifier.out_proj", dense);
  }
  auto pre = linear(w, "pre_classifier", x[0]);
  for (auto& value : pre) value = std::max(0.0f, value);
  return linear(w, "classifier", pre);
}

}  // namespace reference
