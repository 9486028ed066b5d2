#pragma once
/// @file
/// Softmax cross-entropy from logits, mean over the batch (Keras'
/// SparseCategoricalCrossentropy(from_logits=True)), computed stably with log-sum-exp:
/// loss = mean_i (log sum_c exp(z_ic) - z_i,label_i).
#include <rnncell/detail/activations.hpp>
#include <rnncell/detail/xtensor.hpp>
#include <rnncell/kernels/isa.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>

namespace rnncell {

namespace detail {
inline void check_labels(std::span<const int> labels, std::size_t batch, std::size_t classes) {
  if (labels.size() != batch)
    throw std::invalid_argument("rnncell: " + std::to_string(labels.size()) + " labels for a batch of " +
                                std::to_string(batch));
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < 0 || std::size_t(labels[i]) >= classes)
      throw std::invalid_argument("rnncell: label " + std::to_string(labels[i]) + " at batch index " +
                                  std::to_string(i) + " is outside 0.." + std::to_string(classes - 1));
}

// Row reductions with independent accumulators, so that the compares and adds pipeline (and
// vectorise) instead of each waiting for the previous one.
template <class T>
T row_max(const T* z, std::size_t n) {
  constexpr std::size_t lanes = 8;
  T top[lanes];
  std::fill(top, top + lanes, z[0]);
  std::size_t c = 0;
  for (; c + lanes <= n; c += lanes)
    for (std::size_t j = 0; j < lanes; ++j) top[j] = std::max(top[j], z[c + j]);
  for (; c < n; ++c) top[0] = std::max(top[0], z[c]);
  return *std::max_element(top, top + lanes);
}

// Summed in double for float too: the sum sets every probability, and it is one add per logit.
template <class T>
double row_sum(const T* p, std::size_t n) {
  constexpr std::size_t lanes = 8;
  double sum[lanes] = {};
  std::size_t c = 0;
  for (; c + lanes <= n; c += lanes)
    for (std::size_t j = 0; j < lanes; ++j) sum[j] += double(p[c + j]);
  for (; c < n; ++c) sum[0] += double(p[c]);
  return ((sum[0] + sum[1]) + (sum[2] + sum[3])) + ((sum[4] + sum[5]) + (sum[6] + sum[7]));
}

// Whether label is z's arg-max, first on ties as std::max_element, given top = row_max(z, n).
// Not std::max_element: its compare-and-select chain runs one logit per cycle, scalar (11% of
// RLtools' per-step model's train step); row_max's independent lanes vectorise and give the same
// largest value (both keep z[0] if it is NaN, else skip NaNs), and the label is the arg-max iff
// it holds that value and no earlier logit does.
template <class T>
bool is_arg_max(const T* z, std::size_t label, T top) {
  if (std::isnan(top)) return label == 0;  // z[0] is NaN: std::max_element stays there
  return z[label] == top && std::find(z, z + label, top) == z + label;
}

// What a pass over the rows returns: the mean loss (0 unless asked) and how many rows' arg-max is
// the label (0 unless asked).
struct loss_pass {
  double loss = 0;
  std::size_t correct = 0;
};

// dlogits = (softmax(logits) - onehot) / B row by row, in T with exp_inplace (float: a
// vectorised polynomial; double: std::exp); the mean loss if WithLoss, the rows classified right
// if CountCorrect (from the same row maximum).
// Per row, with s = sum_c exp(z_c - max z): loss = log s - (z_label - max z), one log per row.
// For float the rows run compiled for the active kernel path (kernels::run_on_active_path), so a
// default build's exp is AVX-512 / AVX2, not SSE2: over 2048 x 256 logits per step (RLtools'
// model, issue 13) the SSE2 exp was 13% of a train step.
template <bool WithLoss, bool CountCorrect, class T>
loss_pass softmax_cross_entropy_rows(const T* logits, std::span<const int> labels, std::size_t batch,
                                  std::size_t classes, T* dlogits) {
  check_labels(labels, batch, classes);
  const double inverse_batch = 1.0 / double(batch);
  loss_pass pass;
  kernels::run_on_active_path<T>([&] {
    for (std::size_t i = 0; i < batch; ++i) {
      const T* z = logits + i * classes;
      T* d = dlogits + i * classes;
      const std::size_t label = std::size_t(labels[i]);
      // row_max may skip a NaN logit, but z - top is NaN there: the row's loss and gradient are NaN.
      const T top = row_max(z, classes);
      if constexpr (CountCorrect) pass.correct += is_arg_max(z, label, top);
      for (std::size_t c = 0; c < classes; ++c) d[c] = z[c] - top;
      exp_inplace(d, classes);
      // z - top is rounded to T, an error of up to half an ulp of |z - top| (1e-6 at 30 in float)
      // that exp turns into a relative one; TwoSum recovers it exactly and exp(x + e) ~ exp(x)(1 + e).
      for (std::size_t c = 0; c < classes; ++c) {
        const T x = z[c] - top, z_part = x + top, top_part = x - z_part;
        d[c] += d[c] * ((z[c] - z_part) - (top + top_part));
      }
      const double sum = row_sum(d, classes);
      const double label_exp = double(d[label]);
      const double scale = inverse_batch / sum;
      const T scale_t = T(scale);
      for (std::size_t c = 0; c < classes; ++c) d[c] *= scale_t;
      // p_label - 1 as -(the others' sum) / sum: p_label near 1 would lose its digits to p - 1.
      d[label] = T(-(sum - label_exp) * scale);
      if constexpr (WithLoss) pass.loss += std::log(sum) - (double(z[label]) - double(top));
    }
  });
  pass.loss *= inverse_batch;
  return pass;
}

}  // namespace detail

/// Returns the mean loss over the batch and writes its gradient w.r.t. the logits,
/// (softmax - onehot) / B, into dlogits. logits and dlogits are (B, C) row-major.
/// Computed in T: for float with a polynomial exp (relative error ~1e-7, probabilities below
/// exp(-87) ~ 1.6e-38 of a row's largest are taken as that), for double with std::exp.
/// @tparam T the element type.
/// @param logits B x C scores, row-major.
/// @param labels B class indices, each in [0, C).
/// @param batch B.
/// @param classes C.
/// @param dlogits B x C, overwritten with dLoss/dlogits.
/// @return the mean loss over the batch.
/// @throws std::invalid_argument if labels has not B entries or one is outside [0, C).
template <class T>
double softmax_cross_entropy(const T* logits, std::span<const int> labels, std::size_t batch, std::size_t classes,
                             T* dlogits) {
  return detail::softmax_cross_entropy_rows<true, false>(logits, labels, batch, classes, dlogits).loss;
}

/// The gradient of softmax_cross_entropy alone, for a caller that does not need the loss value
/// (it skips one log per row): dlogits = (softmax - onehot) / B, bitwise as softmax_cross_entropy
/// writes it.
/// @tparam T the element type.
/// @param logits B x C scores, row-major.
/// @param labels B class indices, each in [0, C).
/// @param batch B.
/// @param classes C.
/// @param dlogits B x C, overwritten with dLoss/dlogits.
/// @throws std::invalid_argument if labels has not B entries or one is outside [0, C).
template <class T>
void softmax_cross_entropy_gradient(const T* logits, std::span<const int> labels, std::size_t batch,
                                    std::size_t classes, T* dlogits) {
  detail::softmax_cross_entropy_rows<false, false>(logits, labels, batch, classes, dlogits);
}

/// The same on tensors: logits (B, C); dlogits is resized to (B, C) if it is not.
/// @tparam T the element type.
/// @param logits (B, C) scores.
/// @param labels B class indices, each in [0, C).
/// @param dlogits overwritten with dLoss/dlogits.
/// @return the mean loss over the batch.
/// @throws std::invalid_argument if labels has not B entries or one is outside [0, C).
template <class T>
double softmax_cross_entropy(const xt::xtensor<T, 2>& logits, std::span<const int> labels,
                             xt::xtensor<T, 2>& dlogits) {
  if (dlogits.shape() != logits.shape()) dlogits.resize({logits.shape(0), logits.shape(1)});
  return softmax_cross_entropy(logits.data(), labels, logits.shape(0), logits.shape(1), dlogits.data());
}

/// How many rows' arg-max (first on ties, as std::max_element) equals the label.
/// @tparam T the element type.
/// @param logits B x C scores, row-major.
/// @param labels B class indices, each in [0, C).
/// @param batch B.
/// @param classes C.
/// @return how many of the B rows are classified right.
/// @throws std::invalid_argument if labels has not B entries or one is outside [0, C).
template <class T>
std::size_t count_correct(const T* logits, std::span<const int> labels, std::size_t batch, std::size_t classes) {
  detail::check_labels(labels, batch, classes);
  std::size_t correct = 0;
  kernels::run_on_active_path<T>([&] {
    for (std::size_t i = 0; i < batch; ++i) {
      const T* z = logits + i * classes;
      correct += detail::is_arg_max(z, std::size_t(labels[i]), detail::row_max(z, classes));
    }
  });
  return correct;
}

/// The loss, its gradient and the rows classified right in one pass over the logits (each row's
/// largest logit found once): softmax_cross_entropy and count_correct together, as a training
/// step reports them.
/// @tparam T the element type.
/// @param logits B x C scores, row-major.
/// @param labels B class indices, each in [0, C).
/// @param batch B.
/// @param classes C.
/// @param dlogits B x C, overwritten with dLoss/dlogits, as softmax_cross_entropy writes it.
/// @param correct set to count_correct's value.
/// @return the mean loss over the batch, as softmax_cross_entropy returns it.
/// @throws std::invalid_argument if labels has not B entries or one is outside [0, C).
template <class T>
double softmax_cross_entropy(const T* logits, std::span<const int> labels, std::size_t batch, std::size_t classes,
                             T* dlogits, std::size_t& correct) {
  const detail::loss_pass pass =
      detail::softmax_cross_entropy_rows<true, true>(logits, labels, batch, classes, dlogits);
  correct = pass.correct;
  return pass.loss;
}

}  // namespace rnncell
