#pragma once
// The gate math of one step over one row (one sample), after the matrix products: the pieces
// the streaming layers (recurrent_layers.hpp) are made of, written so that the training path
// can share them. Widths are compile-time; pointers are to contiguous gate blocks [z | r | n]
// (GRU) or [f | n] (MGU), as in gru.hpp and mgu.hpp, whose equations they implement:
//   GRU reset_after:  gru_reset_after_row
//   GRU reset_before: sigmoid_gates_row<2H>, gated_state_row (r * h), candidate_row
//   MGU:              sigmoid_gates_row<H>,  gated_state_row (f * h), candidate_row
// The activations are detail/activations.hpp's, so the values match the sequence forward's.
#include <rnncell/detail/activations.hpp>

#include <cstddef>

namespace rnncell::kernels {

/// g = sigmoid(g + rec) over W values: the gates whose pre-activation is input side (bias
/// included) plus recurrent side.
template <std::size_t W, class T>
inline void sigmoid_gates_row(T* g, const T* rec) {
  for (std::size_t j = 0; j < W; ++j) g[j] += rec[j];
  rnncell::detail::sigmoid_inplace(g, W);
}

/// out = gate * h: the recurrent input of the candidate (r * h for GRU, f * h for MGU).
template <std::size_t H, class T>
inline void gated_state_row(const T* gate, const T* h, T* out) {
  for (std::size_t j = 0; j < H; ++j) out[j] = gate[j] * h[j];
}

/// h = (1 - z) * h + z * n, written h + z * (n - h) as the training path does.
template <std::size_t H, class T>
inline void update_row(const T* z, const T* n, T* h) {
  for (std::size_t j = 0; j < H; ++j) h[j] = h[j] + z[j] * (n[j] - h[j]);
}

/// n = tanh(n_in + n_rec), then h = (1 - z) * h + z * n. n_in (x Wxn + bn) is overwritten by n;
/// n_rec is (gate * h) Whn.
template <std::size_t H, class T>
inline void candidate_row(T* n_in, const T* n_rec, const T* z, T* h) {
  for (std::size_t j = 0; j < H; ++j) n_in[j] += n_rec[j];
  rnncell::detail::tanh_inplace(n_in, H);
  update_row<H>(z, n_in, h);
}

/// GRU reset_after for one row. g = x Wx + b (3H) is overwritten by z, r, n; rec = h Wh + bh (3H):
///   z, r = sigmoid(g + rec),  n = tanh(g_n + r * rec_n),  h = (1 - z) * h + z * n.
template <std::size_t H, class T>
inline void gru_reset_after_row(T* g, const T* rec, T* h) {
  sigmoid_gates_row<2 * H>(g, rec);
  for (std::size_t j = 0; j < H; ++j) g[2 * H + j] += g[H + j] * rec[2 * H + j];
  rnncell::detail::tanh_inplace(g + 2 * H, H);
  update_row<H>(g, g + 2 * H, h);
}

}  // namespace rnncell::kernels
