#pragma once
/// @file
/// Softmax cross-entropy from logits, mean over the batch (Keras'
/// SparseCategoricalCrossentropy(from_logits=True)), computed stably with log-sum-exp:
/// loss = mean_i (log sum_c exp(z_ic) - z_i,label_i).
#include <rnncell/detail/xtensor.hpp>

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
}  // namespace detail

/// Returns the mean loss over the batch and writes its gradient w.r.t. the logits,
/// (softmax - onehot) / B, into dlogits. logits and dlogits are (B, C) row-major.
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
  detail::check_labels(labels, batch, classes);
  double total = 0;
  for (std::size_t i = 0; i < batch; ++i) {
    const T* z = logits + i * classes;
    T* d = dlogits + i * classes;
    const T top = *std::max_element(z, z + classes);
    double sum = 0;
    for (std::size_t c = 0; c < classes; ++c) sum += std::exp(double(z[c] - top));
    const double log_sum = std::log(sum);
    total += log_sum - double(z[labels[i]] - top);
    for (std::size_t c = 0; c < classes; ++c)
      d[c] = T((std::exp(double(z[c] - top) - log_sum) - (int(c) == labels[i] ? 1.0 : 0.0)) / double(batch));
  }
  return total / double(batch);
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

/// How many rows' arg-max (first on ties) equals the label.
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
  for (std::size_t i = 0; i < batch; ++i) {
    const T* z = logits + i * classes;
    correct += std::size_t(std::max_element(z, z + classes) - z) == std::size_t(labels[i]);
  }
  return correct;
}

}  // namespace rnncell
