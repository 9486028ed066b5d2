#pragma once
// Streaming layers: one step of a recurrent or dense layer for B = 1..8 rows at compile-time
// sizes, on weights packed once by load(). No allocation, lock, exception or BLAS call in step():
// the scratch rows are allocated with the layer. These know nothing of the cell classes; stream.hpp
// maps GRUCell, MGUCell, LSTMCell and Dense onto them. Weight layouts are the cells' (Keras
// row-vector): Wx (In x G*H), Wh (H x G*H), b (G*H), gate blocks side by side. Packed, each gate
// block starts at a multiple of Hp = block_stride<T, H> columns (see gate_rows.hpp). A layer's
// step reads x (B rows of In, row stride ldx) and updates its state in place: h (B x H) for GRU
// and MGU, [h | c] rows (B x 2H) for LSTM.
#include <rnncell/kernels/gate_rows.hpp>
#include <rnncell/kernels/isa.hpp>
#include <rnncell/kernels/lstm_rows.hpp>
#include <rnncell/kernels/matvec.hpp>
#include <rnncell/kernels/packed_matrix.hpp>

#include <algorithm>
#include <cstddef>
#include <type_traits>

namespace rnncell::kernels {

/// GRU, reset_after: g = x Wx + b and rec = h Wh + bh, two products over all 3H columns.
template <class T, std::size_t In, std::size_t H, std::size_t B>
class gru_reset_after_layer {
  static constexpr std::size_t Hp = block_stride<T, H>, G = 3 * Hp, ld = padded_width<T, G>;

 public:
  void load(const T* wx, const T* wh, const T* b, const T* bh) {
    wx_.pack_blocks(wx, 3 * H, 3, H, Hp);
    wh_.pack_blocks(wh, 3 * H, 3, H, Hp);
    b_.assign_blocks(b, 3, H, Hp);
    bh_.assign_blocks(bh, 3, H, Hp);
  }

  /// h (B x H, updated in place) after one step on x (B x In, row stride ldx).
  template <isa I>
  void step(const T* x, std::size_t ldx, T* h) {
    matvec<I, B>(x, ldx, wx_, b_.data(), g_.data(), ld);
    matvec<I, B>(h, H, wh_, bh_.data(), rec_.data(), ld);
    for (std::size_t r = 0; r < B; ++r) gate_row<I>(g_.data() + r * ld, rec_.data() + r * ld, h + r * H);
  }

 private:
  // gate_rows.hpp's row, or for float on x86 the fused one of simd_gates.ipp.
  template <isa I>
  static void gate_row(T* g, const T* rec, T* h) {
#if RNNCELL_KERNELS_X86
    if constexpr (std::is_same_v<T, float> && I == isa::avx512)
      return avx512::gru_reset_after_row<H, Hp>(g, rec, h);
    else if constexpr (std::is_same_v<T, float> && I == isa::avx2)
      return avx2::gru_reset_after_row<H, Hp>(g, rec, h);
#endif
    gru_reset_after_row<H, Hp>(g, rec, h);
  }

  packed_matrix<T, In, G> wx_;
  packed_matrix<T, H, G> wh_;
  padded_row<T, G> b_, bh_;
  aligned_array<T> g_{B * ld}, rec_{B * ld};
};

/// The cells whose candidate reads a gated state, n = tanh(x Wxn + (s * h) Whn + bn), after
/// Sigmoids sigmoid gates (block 0 the update gate, block Sigmoids - 1 the gate s):
/// GRU reset_before (Sigmoids = 2: z, r; s = r) and MGU (Sigmoids = 1: f; s = f).
template <class T, std::size_t In, std::size_t H, std::size_t Sigmoids, std::size_t B>
class gated_candidate_layer {
  static constexpr std::size_t Hp = block_stride<T, H>, S = Sigmoids * Hp, G = S + Hp;
  static constexpr std::size_t ld = padded_width<T, G>, ld_s = padded_width<T, S>, ld_n = padded_width<T, Hp>;

 public:
  void load(const T* wx, const T* wh, const T* b) {
    constexpr std::size_t gh = (Sigmoids + 1) * H;  // the cells' row width
    wx_.pack_blocks(wx, gh, Sigmoids + 1, H, Hp);
    wh_gates_.pack_blocks(wh, gh, Sigmoids, H, Hp);
    wh_n_.pack_blocks(wh + Sigmoids * H, gh, 1, H, Hp);
    b_.assign_blocks(b, Sigmoids + 1, H, Hp);
  }

  template <isa I>
  void step(const T* x, std::size_t ldx, T* h) {
    matvec<I, B>(x, ldx, wx_, b_.data(), g_.data(), ld);
    matvec<I, B>(h, H, wh_gates_, nullptr, rec_gates_.data(), ld_s);
    for (std::size_t r = 0; r < B; ++r)
      gates_row<I>(g_.data() + r * ld, rec_gates_.data() + r * ld_s, h + r * H, gated_h_.data() + r * H);
    matvec<I, B>(gated_h_.data(), H, wh_n_, nullptr, rec_n_.data(), ld_n);
    for (std::size_t r = 0; r < B; ++r) {
      T* g = g_.data() + r * ld;
      update_row<I>(g + S, rec_n_.data() + r * ld_n, g, h + r * H);
    }
  }

 private:
  // gate_rows.hpp's rows, or for float on x86 the fused ones of simd_gates.ipp: the sigmoid gates
  // and s * h (s the last of them) ...
  template <isa I>
  static void gates_row(T* g, const T* rec, const T* h, T* gated_h) {
#if RNNCELL_KERNELS_X86
    if constexpr (std::is_same_v<T, float> && I == isa::avx512)
      return avx512::gated_sigmoid_row<Sigmoids, H, Hp>(g, rec, h, gated_h);
    else if constexpr (std::is_same_v<T, float> && I == isa::avx2)
      return avx2::gated_sigmoid_row<Sigmoids, H, Hp>(g, rec, h, gated_h);
#endif
    sigmoid_gates_row<S>(g, rec);
    gated_state_row<H>(g + S - Hp, h, gated_h);
  }
  // ... then n = tanh(n_in + n_rec) and h = (1 - u) * h + u * n.
  template <isa I>
  static void update_row(T* n_in, const T* n_rec, const T* u, T* h) {
#if RNNCELL_KERNELS_X86
    if constexpr (std::is_same_v<T, float> && I == isa::avx512)
      return avx512::candidate_row<H, Hp>(n_in, n_rec, u, h);
    else if constexpr (std::is_same_v<T, float> && I == isa::avx2)
      return avx2::candidate_row<H, Hp>(n_in, n_rec, u, h);
#endif
    candidate_row<H, Hp>(n_in, n_rec, u, h);
  }

  packed_matrix<T, In, G> wx_;
  packed_matrix<T, H, S> wh_gates_;
  packed_matrix<T, H, Hp> wh_n_;
  padded_row<T, G> b_;
  aligned_array<T> g_{B * ld}, rec_gates_{B * ld_s}, gated_h_{B * H}, rec_n_{B * ld_n};
};

template <class T, std::size_t In, std::size_t H, std::size_t B>
using gru_reset_before_layer = gated_candidate_layer<T, In, H, 2, B>;
template <class T, std::size_t In, std::size_t H, std::size_t B>
using mgu_layer = gated_candidate_layer<T, In, H, 1, B>;

/// LSTM: a = [x | h] [Wx ; Wh] + b, ONE product over In + H rows of weights (a step's weights are
/// read once, and each output vector's accumulators stay in registers over both inputs), then
/// lstm_row_on per row: c' = f * c + i * g, h' = o * tanh(c'). The state is B rows [h | c]. The
/// product reads x and h where they are: copying them side by side first put a store and a reload
/// between one step's h and the next step's product (In 1, H 16, -march=native, Xeon AVX-512:
/// 57.3 -> 54.2 ns a step, H 32 -13%).
template <class T, std::size_t In, std::size_t H, std::size_t B>
class lstm_layer {
  static constexpr std::size_t Hp = block_stride<T, H>, G = 4 * Hp, ld = padded_width<T, G>, K = In + H;

 public:
  void load(const T* wx, const T* wh, const T* b) {
    w_.pack_blocks(wx, 4 * H, 4, H, Hp, 0, In);
    w_.pack_blocks(wh, 4 * H, 4, H, Hp, In, H);
    b_.assign_blocks(b, 4, H, Hp);
  }

  /// state (B rows of [h | c], updated in place) after one step on x (B x In, row stride ldx).
  template <isa I>
  void step(const T* x, std::size_t ldx, T* state) {
    matvec<I, B, In>(x, ldx, state, 2 * H, w_, b_.data(), a_.data(), ld);
    for (std::size_t r = 0; r < B; ++r) {
      T* const h = state + r * 2 * H;
      lstm_row_on<I, H, Hp, false>(a_.data() + r * ld, static_cast<const T*>(nullptr), h + H, h, h + H,
                                   static_cast<T*>(nullptr));
    }
  }

 private:
  packed_matrix<T, K, G> w_;
  padded_row<T, G> b_;
  aligned_array<T> a_{B * ld};  // the gates
};

/// y = x W + b: a dense head on the last hidden state.
template <class T, std::size_t In, std::size_t Out, std::size_t B>
class dense_layer {
  static constexpr std::size_t ld = padded_width<T, Out>;

 public:
  void load(const T* w, const T* b) {
    w_.pack(w, Out);
    b_.assign(b);
  }

  /// out (B x Out, contiguous) from x (B x In, row stride ldx).
  template <isa I>
  void step(const T* x, std::size_t ldx, T* out) {
    matvec<I, B>(x, ldx, w_, b_.data(), y_.data(), ld);
    for (std::size_t r = 0; r < B; ++r) std::copy(y_.data() + r * ld, y_.data() + r * ld + Out, out + r * Out);
  }

 private:
  packed_matrix<T, In, Out> w_;
  padded_row<T, Out> b_;
  aligned_array<T> y_{B * ld};
};

}  // namespace rnncell::kernels
