#pragma once
// The gate math of one step over one row (one sample), after the matrix products: the pieces
// the streaming layers (recurrent_layers.hpp) are made of, written so that the training path
// can share them. Gate blocks [z | r | n] (GRU), [f | n] (MGU) or [i | f | g | o] (LSTM), as in
// gru.hpp, mgu.hpp and lstm.hpp,
// whose equations these implement, start every Stride values (Stride = H: side by side, as the
// training path stores them; the streaming layers pad each block to whole vectors, so that the
// activations run over whole vectors with no scalar remainder, see block_stride):
//   GRU reset_after:  gru_reset_after_row
//   GRU reset_before: sigmoid_gates_row over z, r; gated_state_row (r * h); candidate_row
//   MGU:              sigmoid_gates_row over f;    gated_state_row (f * h); candidate_row
//   LSTM:             lstm_row; and the training backward's lstm_backward_row
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

/// LSTM for one row: the gate blocks of a (stride Stride), plus add if not null, become
/// i, f, g, o = s, s, tanh, s; c' = f * c + i * g, h' = o * tanh(c'). c_prev may be c (in place);
/// tanh(c') goes to tanh_c (H values, which may be a's g block once the row's c' is written).
/// Written to h, c and tanh_c: H values each; a: its 4 Stride values.
template <std::size_t H, std::size_t Stride = H, class T>
inline void lstm_row(T* a, const T* add, const T* c_prev, T* h, T* c, T* tanh_c) {
  if (add != nullptr) {
#pragma GCC unroll 1
    for (std::size_t j = 0; j < 4 * Stride; ++j) a[j] += add[j];
  }
  const T* const i = a;
  const T* const f = a + Stride;
  const T* const g = a + 2 * Stride;
  const T* const o = a + 3 * Stride;
  rnncell::detail::sigmoid_inplace(a, detail::opaque_count<2 * Stride>());  // i, f
  rnncell::detail::tanh_inplace(a + 2 * Stride, detail::opaque_count<Stride>());
  rnncell::detail::sigmoid_inplace(a + 3 * Stride, detail::opaque_count<Stride>());
  // c' = f * c + i * g
#pragma GCC unroll 1
  for (std::size_t j = 0; j < H; ++j) {
    c[j] = f[j] * c_prev[j] + i[j] * g[j];
    tanh_c[j] = c[j];
  }
  // h' = o * tanh(c')
  rnncell::detail::tanh_inplace(tanh_c, detail::opaque_count<H>());
#pragma GCC unroll 1
  for (std::size_t j = 0; j < H; ++j) h[j] = o[j] * tanh_c[j];
}

/// LSTM backward for one row (lstm.hpp's equations), from the forward's gates i, f, g, o (blocks of
/// H), c = c_{t-1} and tanh(c'), and dh = [dL/dh' | dL/dc']: writes d = [d_i | d_f | d_g | d_o]
/// (4H) and dc = dL/dc (H). d may be gates (the training backward's, LSTMCell::
/// backward_overwrites_gates): each column's gates are read before its gradients are written.
template <std::size_t H, class T>
inline void lstm_backward_row(const T* gates, const T* c, const T* tanh_c, const T* dh, T* d, T* dc) {
  const T* const i = gates;
  const T* const f = gates + H;
  const T* const g = gates + 2 * H;
  const T* const o = gates + 3 * H;
  const T* const dh_next = dh;
  const T* const dc_next = dh + H;
  for (std::size_t j = 0; j < H; ++j) {
    // The column's gates first: d may be gates itself (LSTMCell::backward_overwrites_gates).
    const T ij = i[j], fj = f[j], gj = g[j], oj = o[j];
    // e = dL/dc' + dL/dh' * o * (1 - tanh(c')^2)
    const T e = dc_next[j] + dh_next[j] * oj * (1 - tanh_c[j] * tanh_c[j]);
    d[j] = e * gj * ij * (1 - ij);
    d[H + j] = e * c[j] * fj * (1 - fj);
    d[2 * H + j] = e * ij * (1 - gj * gj);
    d[3 * H + j] = dh_next[j] * tanh_c[j] * oj * (1 - oj);
    dc[j] = e * fj;
  }
}

}  // namespace rnncell::kernels
