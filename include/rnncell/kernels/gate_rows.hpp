#pragma once
// The gate math of one step over one row (one sample), after the matrix products: the pieces
// the streaming layers (recurrent_layers.hpp) are made of, written so that the training path
// can share them. Gate blocks [z | r | n] (GRU) or [f | n] (MGU), as in gru.hpp and mgu.hpp,
// whose equations these implement, start every Stride values (Stride = H: side by side, as the
// training path stores them; the streaming layers pad each block to whole vectors, so that the
// activations run over whole vectors with no scalar remainder, see block_stride):
//   GRU reset_after:  gru_reset_after_row
//   GRU reset_before: sigmoid_gates_row over z, r; gated_state_row (r * h); candidate_row
//   MGU:              sigmoid_gates_row over f;    gated_state_row (f * h); candidate_row
// The activations are detail/activations.hpp's, so the values match the sequence forward's.
// Values in the padding between blocks are computed and ignored (their weights are zero).
#include <rnncell/detail/activations.hpp>

#include <cstddef>

namespace rnncell::kernels {

namespace detail {
// N, hidden from the optimiser. Given a small constant trip count, GCC unrolls a loop completely
// before its loop vectoriser runs, and what it makes of the straight-line code (clamps, divisions)
// stays mostly scalar: at H = 8 that tripled the instructions of a step. The activations of
// detail/activations.hpp take their count as an argument, so they get this one; the loops here
// say `#pragma GCC unroll 1` instead.
template <std::size_t N>
inline std::size_t opaque_count() {
  std::size_t n = N;
  __asm__("" : "+r"(n));
  return n;
}
}  // namespace detail

/// g = sigmoid(g + rec) over W values: gates whose pre-activation is the input side (bias
/// included) plus the recurrent side.
template <std::size_t W, class T>
inline void sigmoid_gates_row(T* g, const T* rec) {
#pragma GCC unroll 1
  for (std::size_t j = 0; j < W; ++j) g[j] += rec[j];
  rnncell::detail::sigmoid_inplace(g, detail::opaque_count<W>());
}

/// out = gate * h: the recurrent input of the candidate (r * h for GRU, f * h for MGU).
template <std::size_t H, class T>
inline void gated_state_row(const T* gate, const T* h, T* out) {
#pragma GCC unroll 1
  for (std::size_t j = 0; j < H; ++j) out[j] = gate[j] * h[j];
}

/// h = (1 - z) * h + z * n, written h + z * (n - h) as the training path does.
template <std::size_t H, class T>
inline void update_row(const T* z, const T* n, T* h) {
#pragma GCC unroll 1
  for (std::size_t j = 0; j < H; ++j) h[j] = h[j] + z[j] * (n[j] - h[j]);
}

/// n = tanh(n_in + n_rec), then h = (1 - z) * h + z * n. n_in (x Wxn + bn, Stride values) is
/// overwritten by n; n_rec is (gate * h) Whn.
template <std::size_t H, std::size_t Stride = H, class T>
inline void candidate_row(T* n_in, const T* n_rec, const T* z, T* h) {
#pragma GCC unroll 1
  for (std::size_t j = 0; j < Stride; ++j) n_in[j] += n_rec[j];
  rnncell::detail::tanh_inplace(n_in, detail::opaque_count<Stride>());
  update_row<H>(z, n_in, h);
}

/// GRU reset_after for one row. g = x Wx + b is overwritten by z, r, n; rec = h Wh + bh:
///   z, r = sigmoid(g + rec),  n = tanh(g_n + r * rec_n),  h = (1 - z) * h + z * n.
template <std::size_t H, std::size_t Stride = H, class T>
inline void gru_reset_after_row(T* g, const T* rec, T* h) {
  sigmoid_gates_row<2 * Stride>(g, rec);
  T* n = g + 2 * Stride;
#pragma GCC unroll 1
  for (std::size_t j = 0; j < Stride; ++j) n[j] += g[Stride + j] * rec[2 * Stride + j];
  rnncell::detail::tanh_inplace(n, detail::opaque_count<Stride>());
  update_row<H>(g, n, h);
}

}  // namespace rnncell::kernels
