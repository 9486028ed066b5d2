// The body of the SIMD weight_gradient kernel (weight_gradient.hpp), included once per instruction
// set by small_gemm_x86.hpp inside a region compiled for that set, with RNNCELL_SIMD_NS naming the
// namespace whose vec_ops<T> and gradient_block_rows it uses.
// Not a header of its own: no include guard, on purpose.

namespace rnncell::kernels::RNNCELL_SIMD_NS {

// C[R rows, Cols columns] += A[m rows, R columns]^T D[m rows, Cols]: the R x 2 accumulators stay
// in registers over all m rows; D's vectors (masked at the matrix's right edge) serve R rows of C.
template <class T, std::size_t R, std::size_t Cols>
inline void gradient_block(std::size_t m, const T* a, std::size_t lda, const T* d, std::size_t ldd, T* c,
                           std::size_t ldc) {
  using O = vec_ops<T>;
  using V = typename O::vec;
  constexpr std::size_t L = O::lanes, NV = (Cols + L - 1) / L, last = Cols - (NV - 1) * L;
  V acc[R][NV];
#pragma GCC unroll 16
  for (std::size_t r = 0; r < R; ++r)
#pragma GCC unroll 2
    for (std::size_t v = 0; v < NV; ++v) acc[r][v] = O::zero();
  for (std::size_t row = 0; row < m; ++row) {
    const T* const d_row = d + row * ldd;
    V dv[NV];
#pragma GCC unroll 2
    for (std::size_t v = 0; v < NV; ++v)
      dv[v] = v + 1 < NV || last == L ? O::loadu(d_row + v * L) : O::loadu(d_row + v * L, O::first(last));
#pragma GCC unroll 16
    for (std::size_t r = 0; r < R; ++r) {
      const V x = O::broadcast(a[row * lda + r]);
#pragma GCC unroll 2
      for (std::size_t v = 0; v < NV; ++v) acc[r][v] = O::fma(x, dv[v], acc[r][v]);
    }
  }
#pragma GCC unroll 16
  for (std::size_t r = 0; r < R; ++r)
#pragma GCC unroll 2
    for (std::size_t v = 0; v < NV; ++v) {
      T* const out = c + r * ldc + v * L;
      if (v + 1 < NV || last == L)
        O::storeu(out, O::add(O::loadu(out), acc[r][v]));
      else
        O::storeu(out, O::add(O::loadu(out, O::first(last)), acc[r][v]), O::first(last));
    }
}

// All K rows of C for one pass of Cols columns: blocks of gradient_block_rows, then the K % R left,
// a remainder of fewer than min_block_rows merged with the last full block and split in two halves
// (as in small_gemm_panel.ipp's gemm_rows).
template <class T, std::size_t K, std::size_t Cols>
inline void gradient_rows(std::size_t m, const T* a, std::size_t lda, const T* d, std::size_t ldd, T* c,
                          std::size_t ldc) {
  constexpr std::size_t R = gradient_block_rows;
  constexpr bool merge = K > R && K % R > 0 && K % R < min_block_rows;
  constexpr std::size_t full = (K / R - (merge ? 1 : 0)) * R, rest = K - full;
  constexpr std::size_t first_half = rest > R ? rest - rest / 2 : rest, second_half = rest - first_half;
  for (std::size_t i = 0; i < full; i += R) gradient_block<T, R, Cols>(m, a + i, lda, d, ldd, c + i * ldc, ldc);
  if constexpr (first_half > 0)
    gradient_block<T, first_half, Cols>(m, a + full, lda, d, ldd, c + full * ldc, ldc);
  if constexpr (second_half > 0)
    gradient_block<T, second_half, Cols>(m, a + full + first_half, lda, d, ldd, c + (full + first_half) * ldc, ldc);
}

/// C (K x N, stride ldc) += A^T D, A (m x K, stride lda), D (m x N, stride ldd): rows in chunks
/// whose two-vector column passes of D (chunk x 128 bytes) stay in L1 while C's row blocks sweep them.
/// noinline: a loop that kernels::dispatch flattens calls it rather than copying it in.
template <class T, std::size_t K, std::size_t N>
[[gnu::noinline]] void weight_gradient(std::size_t m, const T* a, std::size_t lda, const T* d, std::size_t ldd, T* c,
                            std::size_t ldc) {
  constexpr std::size_t pass = 2 * vec_ops<T>::lanes, full = N / pass, rest = N % pass, chunk = 128;
  for (std::size_t first_row = 0; first_row < m; first_row += chunk) {
    const std::size_t rows = m - first_row < chunk ? m - first_row : chunk;
    const T* const a_chunk = a + first_row * lda;
    const T* const d_chunk = d + first_row * ldd;
    for (std::size_t q = 0; q < full; ++q)
      gradient_rows<T, K, pass>(rows, a_chunk, lda, d_chunk + q * pass, ldd, c + q * pass, ldc);
    if constexpr (rest > 0)
      gradient_rows<T, K, rest>(rows, a_chunk, lda, d_chunk + full * pass, ldd, c + full * pass, ldc);
  }
}

}  // namespace rnncell::kernels::RNNCELL_SIMD_NS
