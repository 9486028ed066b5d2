// The body of the SIMD matrix-vector kernels, included once per instruction set by
// matvec_x86.hpp inside a region compiled for that set, with RNNCELL_SIMD_NS naming the namespace
// whose vec_ops<T> (vector type, lanes, registers, max_rows, load/store/broadcast/fma, masks) it
// uses: matvec on packed panels (stream.hpp), matvec_rows on row-major weights (a cell's step).
// Not a header of its own: no include guard, on purpose.

namespace rnncell::kernels::RNNCELL_SIMD_NS {

// y[r] = c + x[r] W over Q passes of two vectors of columns each, for R rows at once: every weight
// vector loaded is used by all R rows. With few rows, one pass's FMA chains are too few for the
// FMA units, and one stream of weights too little for the memory: up to 4 / R passes side by side
// keep both busy, and where there are fewer passes than that, U partial sums over k make up the
// chains (U * Q * R * 2 accumulators, at most 16). One Xeon core (AVX-512, one stream, weights in
// L2): an LSTM step at In 28, H 128 took 2355 ns with one pass and 4 partial sums, 2159 with 4
// passes side by side; H 256 8805 -> 7478; GRU reset_after In 1, H 64 359 -> 310 (best of 5
// interleaved runs; 2 passes with 2 partial sums, and 4 with 2, measured between the two).
// Pass q reads the weights from wq[q], the bias from cq[q] (null: zero) and writes y + yq[q].
// pass_row_k: one k, into partial sums acc (u's of pass_rows).
template <class T, std::size_t R, std::size_t Q>
inline void pass_row_k(const T* x, std::size_t ldx, const T* const (&wq)[Q], std::size_t k,
                       typename vec_ops<T>::vec (&acc)[Q][R][2]) {
  using O = vec_ops<T>;
  using V = typename O::vec;
  constexpr std::size_t L = O::lanes, P = panel_width<T>;
  V xv[R];
#pragma GCC unroll 8
  for (std::size_t r = 0; r < R; ++r) xv[r] = O::broadcast(x[r * ldx + k]);
#pragma GCC unroll 4
  for (std::size_t q = 0; q < Q; ++q) {
    const V w0 = O::load(wq[q] + k * P), w1 = O::load(wq[q] + k * P + L);
#pragma GCC unroll 8
    for (std::size_t r = 0; r < R; ++r) {
      acc[q][r][0] = O::fma(xv[r], w0, acc[q][r][0]);
      acc[q][r][1] = O::fma(xv[r], w1, acc[q][r][1]);
    }
  }
}
// Rows [0, K) of the panels into the partial sums acc, U rows at a time (the last K % U into
// acc[0]), row k's x values at x[r * ldx + k].
template <class T, std::size_t K, std::size_t R, std::size_t Q, std::size_t U>
inline void accumulate_rows(const T* x, std::size_t ldx, const T* const (&wq)[Q],
                            typename vec_ops<T>::vec (&acc)[U][Q][R][2]) {
  std::size_t k = 0;
  for (; k + U <= K; k += U)
#pragma GCC unroll 4
    for (std::size_t u = 0; u < U; ++u) pass_row_k<T, R, Q>(x, ldx, wq, k + u, acc[u]);
  for (; k < K; ++k) pass_row_k<T, R, Q>(x, ldx, wq, k, acc[0]);
}
// Panel rows [0, K1) take x's values, rows [K1, K) x2's (row k - K1 of x2, stride ldx2).
template <class T, std::size_t K, std::size_t K1, std::size_t R, std::size_t Q, std::size_t U>
inline void pass_rows(const T* x, std::size_t ldx, const T* x2, std::size_t ldx2, const T* const (&wq)[Q],
                      const T* const (&cq)[Q], const std::size_t (&yq)[Q], T* y, std::size_t ldy) {
  using O = vec_ops<T>;
  constexpr std::size_t L = O::lanes, P = panel_width<T>;
  typename O::vec acc[U][Q][R][2];
  for (std::size_t u = 0; u < U; ++u)
#pragma GCC unroll 4
    for (std::size_t q = 0; q < Q; ++q)
      for (std::size_t r = 0; r < R; ++r)
        for (std::size_t s = 0; s < 2; ++s) acc[u][q][r][s] = u == 0 && cq[q] ? O::loadu(cq[q] + s * L) : O::zero();
  accumulate_rows<T, K1, R, Q, U>(x, ldx, wq, acc);
  if constexpr (K1 < K) {
    const T* wq2[Q];
    for (std::size_t q = 0; q < Q; ++q) wq2[q] = wq[q] + K1 * P;
    accumulate_rows<T, K - K1, R, Q, U>(x2, ldx2, wq2, acc);
  }
#pragma GCC unroll 4
  for (std::size_t q = 0; q < Q; ++q)
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t s = 0; s < 2; ++s) {
        for (std::size_t u = 1; u < U; ++u) acc[0][q][r][s] = O::add(acc[0][q][r][s], acc[u][q][r][s]);
        O::storeu(y + yq[q] + r * ldy + s * L, acc[0][q][r][s]);
      }
}

// The chains a group of R rows wants (pass_rows): 4 / R passes side by side, or partial sums.
constexpr std::size_t chains_for(std::size_t rows) { return rows >= 4 ? 1 : 4 / rows; }

// Passes first .. Passes - 1 of the packed panels (packed_matrix: panel_width columns each, a
// panel's K rows one after the other), for R rows: Q at a time while they last, then the rest in
// fewer (and partial sums for the chains they lack).
template <class T, std::size_t K, std::size_t K1, std::size_t R, std::size_t Q, std::size_t Passes>
inline void passes_from(std::size_t first, const T* x, std::size_t ldx, const T* x2, std::size_t ldx2, const T* w,
                        const T* c, T* y, std::size_t ldy) {
  constexpr std::size_t P = panel_width<T>, pass = 2 * vec_ops<T>::lanes, per_panel = P / pass;
  constexpr std::size_t U = chains_for(R) / Q > 1 ? chains_for(R) / Q : 1;
  for (; first + Q <= Passes; first += Q) {
    const T* wq[Q];
    const T* cq[Q];
    std::size_t yq[Q];
    for (std::size_t q = 0; q < Q; ++q) {
      const std::size_t panel = (first + q) / per_panel, column = panel * P + (first + q) % per_panel * pass;
      wq[q] = w + panel * K * P + column % P;
      cq[q] = c ? c + column : nullptr;
      yq[q] = column;
    }
    pass_rows<T, K, K1, R, Q, U>(x, ldx, x2, ldx2, wq, cq, yq, y, ldy);
  }
  if constexpr (Q > 1) passes_from<T, K, K1, R, Q - 1, Passes>(first, x, ldx, x2, ldx2, w, c, y, ldy);
}

/// y (B x padded N, stride ldy) = c (a padded row, or zero if null) + [x | x2] W: W's first K1
/// rows take x (B x K1, stride ldx), the rest x2 (B x (K - K1), stride ldx2); K1 = K: x W.
template <class T, std::size_t K, std::size_t K1, std::size_t N, std::size_t B>
inline void matvec(const T* x, std::size_t ldx, const T* x2, std::size_t ldx2, const T* w, const T* c, T* y,
                   std::size_t ldy) {
  using O = vec_ops<T>;
  constexpr std::size_t passes = padded_width<T, N> / (2 * O::lanes);
  constexpr std::size_t R = B < O::max_rows ? B : O::max_rows, full = B / R * R;
  for (std::size_t g = 0; g < full; g += R)
    passes_from<T, K, K1, R, chains_for(R), passes>(0, x + g * ldx, ldx, x2 + g * ldx2, ldx2, w, c, y + g * ldy,
                                                    ldy);
  if constexpr (full < B)
    passes_from<T, K, K1, B - full, chains_for(B - full), passes>(0, x + full * ldx, ldx, x2 + full * ldx2, ldx2, w,
                                                                  c, y + full * ldy, ldy);
}

// A vector at p, masked (m) or whole; loaded, or stored from v. (Also adam_update_simd.ipp's.)
template <class T, bool Masked>
inline typename vec_ops<T>::vec load_columns(const T* p, typename vec_ops<T>::mask m) {
  if constexpr (Masked)
    return vec_ops<T>::loadu(p, m);
  else
    return (void)m, vec_ops<T>::loadu(p);
}
template <class T, bool Masked>
inline void store_columns(T* p, typename vec_ops<T>::vec v, typename vec_ops<T>::mask m) {
  if constexpr (Masked)
    vec_ops<T>::storeu(p, v, m);
  else
    (void)m, vec_ops<T>::storeu(p, v);
}

// One vector of columns j of row_block, for R rows: masked (m) where it is the row's tail. (Plain
// functions, not lambdas: a lambda does not take the region's target, and a vector it returned
// would cross an ABI boundary.)
template <class T, std::size_t KB, std::size_t R, bool First, bool Masked>
inline void row_block_columns(const typename vec_ops<T>::vec (&xv)[R][KB], const T* w, std::size_t ldw, const T* c,
                              T* y, std::size_t ldy, std::size_t j, typename vec_ops<T>::mask m) {
  using O = vec_ops<T>;
  using V = typename O::vec;
  V acc[R];
  for (std::size_t r = 0; r < R; ++r)
    acc[r] = First ? (c ? load_columns<T, Masked>(c + j, m) : O::zero()) : load_columns<T, Masked>(y + r * ldy + j, m);
#pragma GCC unroll 16
  for (std::size_t k = 0; k < KB; ++k) {
    const V wv = load_columns<T, Masked>(w + k * ldw + j, m);
#pragma GCC unroll 8
    for (std::size_t r = 0; r < R; ++r) acc[r] = O::fma(xv[r][k], wv, acc[r]);
  }
  for (std::size_t r = 0; r < R; ++r) store_columns<T, Masked>(y + r * ldy + j, acc[r], m);
}

// y[r] = (First ? c : y[r]) + x[r][0 .. KB) W[0 .. KB) for R rows over all N columns: KB rows
// of a row-major W read front to back side by side (the order the prefetchers follow; walking
// W by column strips instead, rows a whole row apart, measured up to 7x slower at In 28, H 256).
// y carries the partial sums from one block of KB rows to the next (N values per row: L1).
template <class T, std::size_t KB, std::size_t R, std::size_t N, bool First>
inline void row_block(const T* x, std::size_t ldx, const T* w, std::size_t ldw, const T* c, T* y, std::size_t ldy) {
  using O = vec_ops<T>;
  constexpr std::size_t L = O::lanes, whole = N / L * L;
  typename O::vec xv[R][KB];
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t k = 0; k < KB; ++k) xv[r][k] = O::broadcast(x[r * ldx + k]);
  for (std::size_t j = 0; j < whole; j += L)
    row_block_columns<T, KB, R, First, false>(xv, w, ldw, c, y, ldy, j, O::first(0));
  if constexpr (whole < N) row_block_columns<T, KB, R, First, true>(xv, w, ldw, c, y, ldy, whole, O::first(N - whole));
}

// matvec_rows for one group of R rows: W in blocks of KB rows, KB such that the group's broadcast
// x values fill half the vector registers.
template <class T, std::size_t K, std::size_t N, std::size_t R>
inline void row_group(const T* x, std::size_t ldx, const T* w, std::size_t ldw, const T* c, T* y, std::size_t ldy) {
  constexpr std::size_t budget = vec_ops<T>::registers / 2 / R;
  constexpr std::size_t KB = std::min({std::max<std::size_t>(budget, 1), std::size_t(8), K});
  constexpr std::size_t whole = K / KB * KB, rest = K - whole;
  row_block<T, KB, R, N, true>(x, ldx, w, ldw, c, y, ldy);
  for (std::size_t k = KB; k < whole; k += KB) row_block<T, KB, R, N, false>(x + k, ldx, w + k * ldw, ldw, c, y, ldy);
  if constexpr (rest > 0) row_block<T, rest, R, N, false>(x + whole, ldx, w + whole * ldw, ldw, c, y, ldy);
}

// The last group, of rows < max_rows rows (Rows... = 1 .. max_rows - 1).
template <class T, std::size_t K, std::size_t N, std::size_t... Rows>
inline void last_row_group(std::size_t rows, const T* x, std::size_t ldx, const T* w, std::size_t ldw, const T* c,
                           T* y, std::size_t ldy, std::index_sequence<Rows...>) {
  ((rows == Rows + 1 ? row_group<T, K, N, Rows + 1>(x, ldx, w, ldw, c, y, ldy) : void()), ...);
}

/// y (rows x N, stride ldy) = c (N values, or zero if null) + x (rows x K, stride ldx) W, W a
/// row-major K x N matrix with leading dimension ldw (a cell's own weights, or a block of their
/// columns), rows in groups of at most max_rows.
template <class T, std::size_t K, std::size_t N>
inline void matvec_rows(const T* x, std::size_t ldx, std::size_t rows, const T* w, std::size_t ldw, const T* c, T* y,
                        std::size_t ldy) {
  constexpr std::size_t R = vec_ops<T>::max_rows;
  std::size_t r = 0;
  for (; r + R <= rows; r += R) row_group<T, K, N, R>(x + r * ldx, ldx, w, ldw, c, y + r * ldy, ldy);
  last_row_group<T, K, N>(rows - r, x + r * ldx, ldx, w, ldw, c, y + r * ldy, ldy, std::make_index_sequence<R - 1>());
}

}  // namespace rnncell::kernels::RNNCELL_SIMD_NS
