// The body of the SIMD small_gemm kernel, included once per instruction set by small_gemm_x86.hpp
// inside a region compiled for that set, with RNNCELL_SIMD_NS naming the namespace whose
// vec_ops<T> (vector type, lanes, loads, fma), store_first / add_first (a vector's first lanes:
// matvec_x86.hpp), pass_ops and pass_block_rows (a pass's vectors, and its rows per register
// block) it uses.
// Not a header of its own: no include guard, on purpose.

namespace rnncell::kernels::RNNCELL_SIMD_NS {

// C[R rows, Cols columns] = A[R rows, K] times one pass of the packed weights (w: K rows,
// panel_width apart, of up to two vectors), or += where `add`, or + the row `bias` (the pass's
// columns of it, read in whole vectors: padded) where bias is not null: every weight vector loaded
// serves R rows, and the R x 2 accumulators stay in registers over all of K. Cols < 2 lanes only
// at the matrix's right edge, whose last vector's first lanes go out through store_first /
// add_first. `add` and `bias` are run-time values, read once per block after the K loop: as
// template parameters they multiplied the kernels' instances, and their compile time, for a
// branch that costs nothing here.
template <class T, std::size_t K, std::size_t R, std::size_t Cols>
inline void gemm_block(const T* a, std::size_t lda, const T* w, T* c, std::size_t ldc, bool add, const T* bias) {
  using O = pass_ops<T, Cols>;
  using V = typename O::vec;
  constexpr std::size_t L = O::lanes, P = panel_width<T>, NV = (Cols + L - 1) / L, last = Cols - (NV - 1) * L;
  V acc[R][NV];
#pragma GCC unroll 16
  for (std::size_t r = 0; r < R; ++r)
#pragma GCC unroll 2
    for (std::size_t v = 0; v < NV; ++v) acc[r][v] = O::zero();
  for (std::size_t k = 0; k < K; ++k) {
    V wv[NV];
#pragma GCC unroll 2
    for (std::size_t v = 0; v < NV; ++v) wv[v] = O::load(w + k * P + v * L);
#pragma GCC unroll 16
    for (std::size_t r = 0; r < R; ++r) {
      const V x = O::broadcast(a[r * lda + k]);
#pragma GCC unroll 2
      for (std::size_t v = 0; v < NV; ++v) acc[r][v] = O::fma(x, wv[v], acc[r][v]);
    }
  }
#pragma GCC unroll 16
  for (std::size_t r = 0; r < R; ++r)
#pragma GCC unroll 2
    for (std::size_t v = 0; v < NV; ++v) {
      T* const out = c + r * ldc + v * L;
      const V sum = bias ? O::add(O::loadu(bias + v * L), acc[r][v]) : acc[r][v];
      if (v + 1 < NV || last == L)
        O::storeu(out, add ? O::add(O::loadu(out), sum) : sum);
      else if (add)
        add_first<last, O>(out, sum);
      else
        store_first<last, O>(out, sum);
    }
}

// n <= R rows in one block of n rows (n known only at run time: a block size per R down to 1).
template <class T, std::size_t K, std::size_t R, std::size_t Cols>
inline void gemm_some_rows(std::size_t n, const T* a, std::size_t lda, const T* w, T* c, std::size_t ldc, bool add,
                           const T* bias) {
  if (n == R) return gemm_block<T, K, R, Cols>(a, lda, w, c, ldc, add, bias);
  if constexpr (R > 1) gemm_some_rows<T, K, R - 1, Cols>(n, a, lda, w, c, ldc, add, bias);
}

// All m rows of one pass, in the blocks split_rows gives (small_gemm_x86.hpp).
template <class T, std::size_t K, std::size_t R, std::size_t Cols>
inline void gemm_rows(std::size_t m, const T* a, std::size_t lda, const T* w, T* c, std::size_t ldc, bool add,
                      const T* bias) {
  const row_split s = split_rows(m, R);
  std::size_t i = 0;
  for (; i < s.full; i += R) gemm_block<T, K, R, Cols>(a + i * lda, lda, w, c + i * ldc, ldc, add, bias);
  if (s.first_half > 0)
    gemm_some_rows<T, K, R, Cols>(s.first_half, a + i * lda, lda, w, c + i * ldc, ldc, add, bias);
  i += s.first_half;
  if (s.second_half > 0)
    gemm_some_rows<T, K, R, Cols>(s.second_half, a + i * lda, lda, w, c + i * ldc, ldc, add, bias);
}

/// C (m x N, stride ldc) = A W, or += where `add`, W packed as packed_block<T, K, N>; plus the row
/// `bias` (padded_width<T, N> values, the padding read and dropped) where it is not null.
/// Pass by pass (two vectors of columns), so that a pass's weights stay in L1 for all rows.
/// noinline: a step loop that kernels::dispatch flattens calls it rather than copying it in.
template <class T, std::size_t K, std::size_t N>
[[gnu::noinline]] void small_gemm(std::size_t m, const T* a, std::size_t lda, const T* w, T* c, std::size_t ldc,
                                  bool add, const T* bias) {
  using O = vec_ops<T>;
  constexpr std::size_t P = panel_width<T>, pass = 2 * O::lanes, full = N / pass, rest = N % pass;
  static_assert(P % pass == 0);
  const auto pass_bias = [bias](std::size_t first) { return bias ? bias + first : nullptr; };
  for (std::size_t q = 0; q < full; ++q) {
    const std::size_t first = q * pass;
    gemm_rows<T, K, pass_block_rows<T, pass>, pass>(m, a, lda, w + first / P * K * P + first % P, c + first, ldc, add,
                                                    pass_bias(first));
  }
  if constexpr (rest > 0) {
    constexpr std::size_t first = full * pass;
    gemm_rows<T, K, pass_block_rows<T, rest>, rest>(m, a, lda, w + first / P * K * P + first % P, c + first, ldc, add,
                                                    pass_bias(first));
  }
}

}  // namespace rnncell::kernels::RNNCELL_SIMD_NS
