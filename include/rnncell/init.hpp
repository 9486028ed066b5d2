#pragma once
/// @file
/// Glorot-uniform initialisation as the seed lab did it (Glorot & Bengio 2010): each gate owns one
/// (In + H) x H matrix (input rows first, then recurrent rows), drawn row-major from
/// U(-l, l) with l = sqrt(6 / ((In + H) + H)); biases are zero. The input rows land in the gate's
/// column block of Wx, the recurrent rows in the same block of Wh.
#include <rnncell/detail/xtensor.hpp>
#include <rnncell/random.hpp>

#include <cmath>
#include <cstddef>

namespace rnncell {

/// Fills a (fan_in x fan_out) matrix from U(-l, l), l = sqrt(6 / (fan_in + fan_out)), row-major.
/// @tparam T the element type.
/// @param w the matrix, (fan_in, fan_out); every entry is overwritten.
/// @param g the generator the entries are drawn from, in row-major order.
template <class T>
void glorot_uniform(xt::xtensor<T, 2>& w, rng& g) {
  const double limit = std::sqrt(6.0 / double(w.shape(0) + w.shape(1)));
  for (auto& v : w) v = T(g.uniform(-limit, limit));
}

/// Per-gate Glorot over the stacked [Wx; Wh] block of each gate (see init.hpp): gate k's
/// (In + H) x H matrix, l = sqrt(6 / (In + 2H)), drawn row by row, gate after gate.
/// @tparam T the element type.
/// @param wx the input weights, (In, gates * H); every entry is overwritten.
/// @param wh the recurrent weights, (H, gates * H); every entry is overwritten.
/// @param gates how many gate blocks the columns hold (GRU 3, MGU 2).
/// @param g the generator the entries are drawn from.
template <class T>
void glorot_uniform_per_gate(xt::xtensor<T, 2>& wx, xt::xtensor<T, 2>& wh, std::size_t gates, rng& g) {
  const std::size_t in = wx.shape(0), hidden = wh.shape(0);
  const double limit = std::sqrt(6.0 / double(in + 2 * hidden));
  for (std::size_t gate = 0; gate < gates; ++gate)
    for (std::size_t row = 0; row < in + hidden; ++row)
      for (std::size_t col = gate * hidden; col < (gate + 1) * hidden; ++col) {
        T& dst = row < in ? wx(row, col) : wh(row - in, col);
        dst = T(g.uniform(-limit, limit));
      }
}

}  // namespace rnncell
