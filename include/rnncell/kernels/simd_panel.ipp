// The body of the SIMD matrix-vector kernel, included once per instruction set by
// matvec_x86.hpp inside a region compiled for that set, with RNNCELL_SIMD_NS naming the namespace
// whose vec_ops<T> (vector type, lanes, max_rows, load/store/broadcast/fma) it uses.
// Not a header of its own: no include guard, on purpose.

namespace rnncell::kernels::RNNCELL_SIMD_NS {

// y[r] = c + x[r] W over one pass of two vectors of columns, for R rows at once: every weight
// vector loaded is used by all R rows. With few rows the FMA chains are short, so U independent
// partial sums over k keep the FMA units busy (U * R * 2 accumulators, at most 16).
template <class T, std::size_t K, std::size_t R>
inline void pass_rows(const T* x, std::size_t ldx, const T* w, const T* c, T* y, std::size_t ldy) {
  using O = vec_ops<T>;
  using V = typename O::vec;
  constexpr std::size_t L = O::lanes, P = panel_width<T>, U = R >= 4 ? 1 : 4 / R;
  V acc[U][R][2];
  for (std::size_t u = 0; u < U; ++u)
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t s = 0; s < 2; ++s) acc[u][r][s] = (u == 0 && c) ? O::loadu(c + s * L) : O::zero();
  std::size_t k = 0;
  for (; k + U <= K; k += U) {
#pragma GCC unroll 4
    for (std::size_t u = 0; u < U; ++u) {
      const V w0 = O::load(w + (k + u) * P), w1 = O::load(w + (k + u) * P + L);
#pragma GCC unroll 8
      for (std::size_t r = 0; r < R; ++r) {
        const V xv = O::broadcast(x[r * ldx + k + u]);
        acc[u][r][0] = O::fma(xv, w0, acc[u][r][0]);
        acc[u][r][1] = O::fma(xv, w1, acc[u][r][1]);
      }
    }
  }
  for (; k < K; ++k) {
    const V w0 = O::load(w + k * P), w1 = O::load(w + k * P + L);
#pragma GCC unroll 8
    for (std::size_t r = 0; r < R; ++r) {
      const V xv = O::broadcast(x[r * ldx + k]);
      acc[0][r][0] = O::fma(xv, w0, acc[0][r][0]);
      acc[0][r][1] = O::fma(xv, w1, acc[0][r][1]);
    }
  }
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t s = 0; s < 2; ++s) {
      for (std::size_t u = 1; u < U; ++u) acc[0][r][s] = O::add(acc[0][r][s], acc[u][r][s]);
      O::storeu(y + r * ldy + s * L, acc[0][r][s]);
    }
}

/// y (B x padded N, stride ldy) = c (a padded row, or zero if null) + x (B x K, stride ldx) W.
template <class T, std::size_t K, std::size_t N, std::size_t B>
inline void matvec(const T* x, std::size_t ldx, const T* w, const T* c, T* y, std::size_t ldy) {
  using O = vec_ops<T>;
  constexpr std::size_t P = panel_width<T>, pass = 2 * O::lanes, R = B < O::max_rows ? B : O::max_rows;
  constexpr std::size_t full = B / R * R;
  for (std::size_t p = 0; p < padded_width<T, N> / P; ++p)
    for (std::size_t s = 0; s < P; s += pass) {
      const T* wp = w + p * K * P + s;
      const T* cp = c ? c + p * P + s : nullptr;
      T* yp = y + p * P + s;
      for (std::size_t g = 0; g < full; g += R) pass_rows<T, K, R>(x + g * ldx, ldx, wp, cp, yp + g * ldy, ldy);
      if constexpr (full < B) pass_rows<T, K, B - full>(x + full * ldx, ldx, wp, cp, yp + full * ldy, ldy);
    }
}

}  // namespace rnncell::kernels::RNNCELL_SIMD_NS
