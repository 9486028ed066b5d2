#pragma once
// C (M x N) = or += A (M x K) Bp for the cells' per-step recurrent products (h Wh forward,
// d Wh^T backward): K and N are compile-time widths (H, G*H), only M (the batch) is known at run
// time. Bp is a K x N matrix packed once per use of the weights (the cell packs its Wh blocks, and
// their transposes, at the start of every forward and backward: see BaseRNNCell), so no call
// repacks, as OpenBLAS does on each of the 2 x T per-step calls.
//
// Packed layout: packed_matrix's column panels (panel_width<T> columns, 128 bytes; each panel
// holds its K rows one after the other; the last one padded with zero columns), written into
// memory the caller owns (the workspace), since the widths are not part of the workspace's type.
// C is written only in its N columns (the last ones by store_first / add_first), so a product may
// target one gate block of a wider matrix in place.
//
// The path (AVX-512, AVX2 + FMA, portable) is kernels::active_isa(): small_gemm_x86.hpp holds the
// x86 kernels, compiled with function target attributes so a default build (no -march) runs them.
#include <rnncell/detail/matrix_ref.hpp>
#include <rnncell/kernels/isa.hpp>
#include <rnncell/kernels/packed_matrix.hpp>
#include <rnncell/kernels/small_gemm_x86.hpp>

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <type_traits>

namespace rnncell::kernels {

/// A K x N matrix packed for gemm_packed (the layout above), in memory someone else owns.
/// @tparam T the element type.
/// @tparam K the product's inner width (rows of the packed matrix).
/// @tparam N the product's output width (columns of the packed matrix).
template <class T, std::size_t K, std::size_t N>
struct packed_block {
  /// The values the packed matrix takes: K rows of N columns rounded up to whole panels.
  static constexpr std::size_t size = K * padded_width<T, N>;
  const T* data;  ///< the first panel; 64-byte aligned
};

/// Packs the K x N block at w (row-major, leading dimension ldw >= N): Bp = w, panels of
/// panel_width columns, each its K rows one after the other, the last panel padded with zero
/// columns. Each panel row is a plain copy (3x the speed of an element loop with a condition).
/// @param w the block's first element.
/// @param ldw w's leading dimension.
/// @param out where the packed matrix goes, packed_block<T, K, N>::size values.
/// @return a view of out.
template <std::size_t K, std::size_t N, class T>
packed_block<T, K, N> pack(const T* w, std::size_t ldw, T* out) {
  constexpr std::size_t P = panel_width<T>;
  for (std::size_t p = 0; p < padded_width<T, N> / P; ++p) {
    const std::size_t first = p * P, columns = std::min(P, N - first);
    for (std::size_t k = 0; k < K; ++k) {
      T* const row = out + (p * K + k) * P;
      std::copy_n(w + k * ldw + first, columns, row);
      std::fill(row + columns, row + P, T(0));
    }
  }
  return {out};
}

namespace portable {
/// Plain loops the compiler vectorises for the build's own target (SSE2 on a default x86 build);
/// the same order of summation over k as the SIMD kernels; noinline as they are; `add` and `bias`
/// run-time values as theirs are.
template <class T, std::size_t K, std::size_t N>
[[gnu::noinline]] void small_gemm(std::size_t m, const T* a, std::size_t lda, const T* w, T* c, std::size_t ldc,
                                  bool add, const T* bias) {
  constexpr std::size_t P = panel_width<T>;
  for (std::size_t p = 0; p < padded_width<T, N> / P; ++p) {
    const T* const wp = w + p * K * P;
    const std::size_t first = p * P, columns = std::min(P, N - first);
    for (std::size_t i = 0; i < m; ++i) {
      T acc[P] = {};
      for (std::size_t k = 0; k < K; ++k) {
        const T x = a[i * lda + k];
        for (std::size_t j = 0; j < P; ++j) acc[j] += x * wp[k * P + j];
      }
      T* const out = c + i * ldc + first;
      for (std::size_t j = 0; j < columns; ++j) {
        const T sum = bias ? bias[first + j] + acc[j] : acc[j];
        out[j] = add ? out[j] + sum : sum;
      }
    }
  }
}

/// pack_transposed's element loop: each panel row gathers one value from each of panel_width
/// rows of w (a constant trip count: twice as fast as stopping at N).
template <std::size_t K, std::size_t N, class T>
void pack_transposed(const T* w, std::size_t ldw, T* out) {
  constexpr std::size_t P = panel_width<T>;
  for (std::size_t p = 0; p < padded_width<T, N> / P; ++p)
    for (std::size_t k = 0; k < K; ++k)
      for (std::size_t j = 0, column = p * P; j < P; ++j, ++column)
        out[(p * K + k) * P + j] = column >= N ? T(0) : w[column * ldw + k];
}
}  // namespace portable

/// Packs the transpose of the N x K block at w (row-major, leading dimension ldw >= K): Bp = w^T,
/// the backward's d Wh^T on Wh's own storage, in pack's layout, on path `path` (for float on x86,
/// transpose_avx2.ipp's 8 x 8 register blocks; otherwise the element loop). Every path writes the
/// same values.
/// @param path the instruction set to run (supported: take it from active_isa()).
/// @param w the block's first element.
/// @param ldw w's leading dimension.
/// @param out where the packed matrix goes, packed_block<T, K, N>::size values.
/// @return a view of out.
template <std::size_t K, std::size_t N, class T>
packed_block<T, K, N> pack_transposed(isa path, const T* w, std::size_t ldw, T* out) {
#if RNNCELL_KERNELS_X86
  if constexpr (std::is_same_v<T, float>)
    if (path != isa::portable) {
      avx2::pack_transposed<K, N>(w, ldw, out);
      return {out};
    }
#endif
  (void)path;
  portable::pack_transposed<K, N>(w, ldw, out);
  return {out};
}

/// pack_transposed on the active path.
/// @param w the block's first element.
/// @param ldw w's leading dimension.
/// @param out where the packed matrix goes, packed_block<T, K, N>::size values.
/// @return a view of out.
template <std::size_t K, std::size_t N, class T>
packed_block<T, K, N> pack_transposed(const T* w, std::size_t ldw, T* out) {
  return pack_transposed<K, N>(active_isa(), w, ldw, out);
}

/// C = A Bp (Add false) or C += A Bp (Add true) on path `path` (which must be supported: take it
/// from active_isa()); plus the row bias where it is not null.
/// @param path the instruction set to run.
/// @param c M x N, written in its N columns only.
/// @param a M x K.
/// @param b the packed K x N matrix.
/// @param bias null, or a row added to every row of the product: padded_width<T, N> values, 64-byte
///        aligned, the ones past N read and dropped.
template <bool Add, class T, std::size_t K, std::size_t N>
void gemm_packed(isa path, ::rnncell::detail::matrix_ref<T> c, ::rnncell::detail::matrix_ref<const std::type_identity_t<T>> a, packed_block<T, K, N> b,
                 const T* bias = nullptr) {
  assert(a.cols == K && c.cols == N && a.rows == c.rows);
#if RNNCELL_KERNELS_X86
  if (path == isa::avx512) return avx512::small_gemm<T, K, N>(c.rows, a.data, a.stride, b.data, c.data, c.stride, Add, bias);
  if (path == isa::avx2) return avx2::small_gemm<T, K, N>(c.rows, a.data, a.stride, b.data, c.data, c.stride, Add, bias);
#endif
  (void)path;
  portable::small_gemm<T, K, N>(c.rows, a.data, a.stride, b.data, c.data, c.stride, Add, bias);
}

/// C += A Bp on the active path.
/// @param c M x N, written in its N columns only.
/// @param a M x K.
/// @param b the packed K x N matrix.
template <class T, std::size_t K, std::size_t N>
void gemm_packed_add(::rnncell::detail::matrix_ref<T> c, ::rnncell::detail::matrix_ref<const std::type_identity_t<T>> a, packed_block<T, K, N> b) {
  gemm_packed<true>(active_isa(), c, a, b);
}

/// C = A Bp on the active path.
/// @param c M x N, written in its N columns only.
/// @param a M x K.
/// @param b the packed K x N matrix.
template <class T, std::size_t K, std::size_t N>
void gemm_packed_set(::rnncell::detail::matrix_ref<T> c, ::rnncell::detail::matrix_ref<const std::type_identity_t<T>> a, packed_block<T, K, N> b) {
  gemm_packed<false>(active_isa(), c, a, b);
}

/// C = bias + A Bp on the active path, bias a row added to every row: the same values, bit for bit,
/// as C = bias row by row then gemm_packed_add, without that first pass over C (Dense: 2 MB of
/// logits per step in RLtools' per-step model).
/// @param c M x N, written in its N columns only.
/// @param a M x K.
/// @param b the packed K x N matrix.
/// @param bias padded_width<T, N> values, 64-byte aligned, the ones past N read and dropped.
template <class T, std::size_t K, std::size_t N>
void gemm_packed_set_bias(::rnncell::detail::matrix_ref<T> c, ::rnncell::detail::matrix_ref<const std::type_identity_t<T>> a,
                          packed_block<T, K, N> b, const std::type_identity_t<T>* bias) {
  gemm_packed<false>(active_isa(), c, a, b, bias);
}

}  // namespace rnncell::kernels
