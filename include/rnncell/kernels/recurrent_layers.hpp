#pragma once
// Streaming layers: one step of a recurrent or dense layer for B = 1..8 rows at compile-time
// sizes, on weights packed once by load(). No allocation, lock, exception or BLAS call in step():
// the scratch rows are allocated with the layer. These know nothing of the cell classes; stream.hpp
// maps GRUCell, MGUCell and Dense onto them. Weight layouts are the cells' (Keras row-vector):
// Wx (In x G*H), Wh (H x G*H), b (G*H), gate blocks side by side. Packed, each gate block starts
// at a multiple of Hp = block_stride<T, H> columns (see gate_rows.hpp).
#include <rnncell/kernels/gate_rows.hpp>
#include <rnncell/kernels/isa.hpp>
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
    for (std::size_t r = 0; r < B; ++r) {
      T* g = g_.data() + r * ld;
      sigmoid_gates_row<S>(g, rec_gates_.data() + r * ld_s);
      gated_state_row<H>(g + S - Hp, h + r * H, gated_h_.data() + r * H);
    }
    matvec<I, B>(gated_h_.data(), H, wh_n_, nullptr, rec_n_.data(), ld_n);
    for (std::size_t r = 0; r < B; ++r) {
      T* g = g_.data() + r * ld;
      candidate_row<H, Hp>(g + S, rec_n_.data() + r * ld_n, g, h + r * H);
    }
  }

 private:
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
