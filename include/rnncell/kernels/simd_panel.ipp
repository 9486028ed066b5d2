// The body of the SIMD matrix-vector kernels, included once per instruction set by
// matvec_x86.hpp inside a region compiled for that set, with RNNCELL_SIMD_NS naming the namespace
// whose vec_ops<T> (vector type, lanes, max_rows, load/store/broadcast/fma, masks) it uses.
// Not a header of its own: no include guard, on purpose.
namespace rnncell::kernels::RNNCELL_SIMD_NS {

// y[r] = c + x[r] W over one pass of two vectors of columns, for R rows at once: every weight
// vector loaded is used by all R rows. W's rows are ldw apart (panel_width in a packed matrix,
// the row length in a cell's row-major one). With few rows the FMA chains are short, so U
// independent partial sums over k keep the FMA units busy (U * R * 2 accumulators, at most 16).
// Masked: the pass holds only `columns` (< 2 vectors) valid columns, the tail of a row-major
// matrix; loads and stores are masked so that nothing past the row is read or written.
template <class T, std::size_t K, std::size_t R, bool Masked = false>
inline void pass_rows(const T* x, std::size_t ldx, const T* w, std::size_t ldw, const T* c, T* y, std::size_t ldy,
                      std::size_t columns = 0) {
  using O = vec_ops<T>;
  using V = typename O::vec;
  constexpr std::size_t L = O::lanes, U = R >= 4 ? 1 : 4 / R;
  typename O::mask m[2] = {};
  if constexpr (Masked) m[0] = O::first(columns < L ? columns : L), m[1] = O::first(columns > L ? columns - L : 0);
  const auto load = [&](const T* p, std::size_t s) {
    if constexpr (Masked)
      return O::loadu(p + s * L, m[s]);
    else
      return O::loadu(p + s * L);
  };
  V acc[U][R][2];
  for (std::size_t u = 0; u < U; ++u)
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t s = 0; s < 2; ++s) acc[u][r][s] = (u == 0 && c) ? load(c, s) : O::zero();
  constexpr std::size_t whole_k = K / U * U;  // compile-time bounds for both loops over k
  for (std::size_t k = 0; k < whole_k; k += U) {
#pragma GCC unroll 4
    for (std::size_t u = 0; u < U; ++u) {
      const V w0 = load(w + (k + u) * ldw, 0), w1 = load(w + (k + u) * ldw, 1);
#pragma GCC unroll 8
      for (std::size_t r = 0; r < R; ++r) {
        const V xv = O::broadcast(x[r * ldx + k + u]);
        acc[u][r][0] = O::fma(xv, w0, acc[u][r][0]);
        acc[u][r][1] = O::fma(xv, w1, acc[u][r][1]);
      }
    }
  }
  for (std::size_t k = whole_k; k < K; ++k) {
    const V w0 = load(w + k * ldw, 0), w1 = load(w + k * ldw, 1);
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
      if constexpr (Masked)
        O::storeu(y + r * ldy + s * L, acc[0][r][s], m[s]);
      else
        O::storeu(y + r * ldy + s * L, acc[0][r][s]);
    }
}

/// y (B x padded N, stride ldy) = c (a padded row, or zero if null) + x (B x K, stride ldx) W,
/// W a packed_matrix's panels.
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
      for (std::size_t g = 0; g < full; g += R) pass_rows<T, K, R>(x + g * ldx, ldx, wp, P, cp, yp + g * ldy, ldy);
      if constexpr (full < B) pass_rows<T, K, B - full>(x + full * ldx, ldx, wp, P, cp, yp + full * ldy, ldy);
    }
}

/// y (rows x N, stride ldy) = c (N values, or zero if null) + x (rows x K, stride ldx) W, W a
/// row-major K x N matrix with leading dimension ldw (a cell's own weights, or a block of their
/// columns). The rows come in groups of max_rows; N's tail that fills no whole pass is masked.
template <class T, std::size_t K, std::size_t N>
inline void matvec_rows(const T* x, std::size_t ldx, std::size_t rows, const T* w, std::size_t ldw, const T* c, T* y,
                        std::size_t ldy) {
  using O = vec_ops<T>;
  constexpr std::size_t pass = 2 * O::lanes, R = O::max_rows, whole = N / pass * pass;
  const auto group = [&]<std::size_t Rows>(std::size_t r) {
    for (std::size_t s = 0; s < whole; s += pass)
      pass_rows<T, K, Rows>(x + r * ldx, ldx, w + s, ldw, c ? c + s : nullptr, y + r * ldy + s, ldy);
    if constexpr (whole < N)
      pass_rows<T, K, Rows, true>(x + r * ldx, ldx, w + whole, ldw, c ? c + whole : nullptr, y + r * ldy + whole, ldy,
                                  N - whole);
  };
  std::size_t r = 0;
  for (; r + R <= rows; r += R) group.template operator()<R>(r);
  [&]<std::size_t... Rows>(std::index_sequence<Rows...>) {
    ((rows - r == Rows + 1 ? group.template operator()<Rows + 1>(r) : void()), ...);
  }(std::make_index_sequence<R - 1>());
}

}  // namespace rnncell::kernels::RNNCELL_SIMD_NS
