#pragma once
// C (K x N) += A^T D: the weight gradients, a reduction over many rows (every step's T*B rows):
//   dWx += X^T dA,  dWh += Hp^T dA_recurrent     (A: M x K, D: M x N, M = T*B known at run time)
// K and N are the cell's compile-time widths (In or H, and a gate block's width). C is a weight
// gradient of the cell's own storage, read and written in its N columns only (the last ones by
// add_first), so a gradient may target one gate block of a wider matrix in place.
//
// Kernel: C's rows in register blocks of R (R x 2 vectors of accumulators), and for each block a
// sweep over the rows of A and D: D's two vectors loaded once serve R rows of C, the A values are
// broadcasts. M is cut into chunks so that a chunk of D's columns stays in L1 across C's row blocks.
// The path is kernels::active_isa(), as for small_gemm.hpp (the x86 bodies in
// weight_gradient_panel.ipp, compiled per instruction set by small_gemm_x86.hpp).
#include <rnncell/detail/matrix_ref.hpp>
#include <rnncell/kernels/isa.hpp>
#include <rnncell/kernels/small_gemm_x86.hpp>

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <type_traits>

namespace rnncell::kernels {

/// Calls f(first, count) for the rows [0, m) in pieces of gradient_chunk_rows rows (the last one
/// shorter): a caller that hands the weight gradient these pieces gets the sums of one call over
/// all m rows (small_gemm_x86.hpp), and may let its other readers of the same rows take each piece
/// while it is in cache (BaseRNNCell's and Dense's backwards).
/// @param m the rows.
/// @param f a callable (std::size_t first, std::size_t count).
template <class F>
void for_each_gradient_piece(std::size_t m, F&& f) {
  for (std::size_t first = 0; first < m; first += gradient_chunk_rows) f(first, std::min(gradient_chunk_rows, m - first));
}

namespace portable {
/// Plain loops the compiler vectorises for the build's own target: each element's sum over a
/// chunk of gradient_chunk_rows rows in an accumulator from zero, then added to C (the SIMD kernels
/// do the same per chunk), in blocks of 64 columns (a wide head's N would not fit an accumulator
/// row on the stack).
/// noinline, as the SIMD kernels are: a step loop that kernels::dispatch flattens for AVX2 or
/// AVX-512 calls it rather than copying it in.
template <class T, std::size_t K, std::size_t N>
[[gnu::noinline]] void weight_gradient(std::size_t m, const T* a, std::size_t lda, const T* d, std::size_t ldd,
                                       T* c, std::size_t ldc) {
  constexpr std::size_t block = 64;
  for_each_gradient_piece(m, [&](std::size_t first_row, std::size_t rows) {
    for (std::size_t i = 0; i < K; ++i)
      for (std::size_t first = 0; first < N; first += block) {
        const std::size_t columns = std::min(block, N - first);
        T acc[block] = {};
        for (std::size_t row = first_row; row < first_row + rows; ++row) {
          const T x = a[row * lda + i];
          const T* const d_row = d + row * ldd + first;
          for (std::size_t j = 0; j < columns; ++j) acc[j] += x * d_row[j];
        }
        for (std::size_t j = 0; j < columns; ++j) c[i * ldc + first + j] += acc[j];
      }
  });
}
}  // namespace portable

/// C += A^T D on path `path` (which must be supported: take it from active_isa()).
/// @param path the instruction set to run.
/// @param c K x N, written in its N columns only.
/// @param a M x K.
/// @param d M x N.
template <std::size_t K, std::size_t N, class T>
void add_weight_gradient(isa path, ::rnncell::detail::matrix_ref<T> c,
                         ::rnncell::detail::matrix_ref<const std::type_identity_t<T>> a,
                         ::rnncell::detail::matrix_ref<const std::type_identity_t<T>> d) {
  assert(c.rows == K && c.cols == N && a.cols == K && d.cols == N && a.rows == d.rows);
#if RNNCELL_KERNELS_X86
  if (path == isa::avx512) return avx512::weight_gradient<T, K, N>(a.rows, a.data, a.stride, d.data, d.stride, c.data, c.stride);
  if (path == isa::avx2) return avx2::weight_gradient<T, K, N>(a.rows, a.data, a.stride, d.data, d.stride, c.data, c.stride);
#endif
  (void)path;
  portable::weight_gradient<T, K, N>(a.rows, a.data, a.stride, d.data, d.stride, c.data, c.stride);
}

/// C += A^T D on the active path.
/// @param c K x N, written in its N columns only.
/// @param a M x K.
/// @param d M x N.
template <std::size_t K, std::size_t N, class T>
void add_weight_gradient(::rnncell::detail::matrix_ref<T> c, ::rnncell::detail::matrix_ref<const std::type_identity_t<T>> a,
                         ::rnncell::detail::matrix_ref<const std::type_identity_t<T>> d) {
  add_weight_gradient<K, N>(active_isa(), c, a, d);
}

}  // namespace rnncell::kernels
