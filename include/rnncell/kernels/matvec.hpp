#pragma once
// y (B x N) = c + x (B x K) W (K x N) at compile-time K and N: the products of a streaming step.
//   matvec<I, B>:   B = 1..8 rows (compile time), W a packed_matrix (column panels, packed once;
//                   each panel is read once per call for all B rows). y's rows have stride >=
//                   padded_width<T, N> (the kernels write whole panels); c is a padded_row (a bias)
//                   added to every row, or null for zero. stream.hpp's layers. matvec<I, B, K1>
//                   reads x's K1 columns and then a second matrix's K - K1 (LSTM: [x | h]).
//   matvec_rows<I>: any number of rows (run time), W row-major with leading dimension ldw, read
//                   in place (a cell's own weights: nothing to keep in sync when they change); c is
//                   N values or null; exactly N columns of y are written. BaseRNNCell::step.
// Both run the kernel of path I; call them from code that dispatch() compiled for I.
#include <rnncell/kernels/isa.hpp>
#include <rnncell/kernels/matvec_x86.hpp>
#include <rnncell/kernels/packed_matrix.hpp>

#include <cstddef>
#include <type_traits>

namespace rnncell::kernels {

namespace portable {
/// Plain loops the compiler vectorises for the build's own target (SSE2 on a default x86 build).
template <class T, std::size_t K, std::size_t K1, std::size_t N, std::size_t B>
inline void matvec(const T* x, std::size_t ldx, const T* x2, std::size_t ldx2, const T* w, const T* c, T* y,
                   std::size_t ldy) {
  constexpr std::size_t P = panel_width<T>;
  for (std::size_t p = 0; p < padded_width<T, N> / P; ++p) {
    const T* wp = w + p * K * P;
    for (std::size_t r = 0; r < B; ++r) {
      T acc[P];
      for (std::size_t j = 0; j < P; ++j) acc[j] = c ? c[p * P + j] : T(0);
      for (std::size_t k = 0; k < K; ++k) {
        const T xv = k < K1 ? x[r * ldx + k] : x2[r * ldx2 + k - K1];
        for (std::size_t j = 0; j < P; ++j) acc[j] += xv * wp[k * P + j];
      }
      for (std::size_t j = 0; j < P; ++j) y[r * ldy + p * P + j] = acc[j];
    }
  }
}

template <class T, std::size_t K, std::size_t N>
inline void matvec_rows(const T* x, std::size_t ldx, std::size_t rows, const T* w, std::size_t ldw, const T* c, T* y,
                        std::size_t ldy) {
  for (std::size_t r = 0; r < rows; ++r) {
    T* yr = y + r * ldy;
    for (std::size_t j = 0; j < N; ++j) yr[j] = c ? c[j] : T(0);
    for (std::size_t k = 0; k < K; ++k) {
      const T xv = x[r * ldx + k];
      for (std::size_t j = 0; j < N; ++j) yr[j] += xv * w[k * ldw + j];
    }
  }
}
}  // namespace portable

/// y = c + [x | x2] W, W's first K1 rows taking x (B x K1, stride ldx) and the rest x2 (B x
/// (K - K1), stride ldx2): an LSTM's [x | h] in one product, the two read where they are.
template <isa I, std::size_t B, std::size_t K1, class T, std::size_t K, std::size_t N>
inline void matvec(const T* x, std::size_t ldx, const T* x2, std::size_t ldx2, const packed_matrix<T, K, N>& w,
                   const std::type_identity_t<T>* c, T* y, std::size_t ldy) {
  static_assert(B >= 1 && B <= 8, "rnncell: the streaming kernels take 1 to 8 rows");
  static_assert(K1 <= K, "rnncell: x's K1 columns are the first of W's K rows");
#if RNNCELL_KERNELS_X86
  if constexpr (I == isa::avx512)
    return avx512::matvec<T, K, K1, N, B>(x, ldx, x2, ldx2, w.data(), c, y, ldy);
  else if constexpr (I == isa::avx2)
    return avx2::matvec<T, K, K1, N, B>(x, ldx, x2, ldx2, w.data(), c, y, ldy);
#endif
  portable::matvec<T, K, K1, N, B>(x, ldx, x2, ldx2, w.data(), c, y, ldy);
}

/// y = c + x W (B x K times K x N).
template <isa I, std::size_t B, class T, std::size_t K, std::size_t N>
inline void matvec(const T* x, std::size_t ldx, const packed_matrix<T, K, N>& w, const std::type_identity_t<T>* c,
                   T* y, std::size_t ldy) {
  matvec<I, B, K>(x, ldx, x, ldx, w, c, y, ldy);
}

template <isa I, std::size_t K, std::size_t N, class T>
inline void matvec_rows(const T* x, std::size_t ldx, std::size_t rows, const std::type_identity_t<T>* w,
                        std::size_t ldw, const std::type_identity_t<T>* c, T* y, std::size_t ldy) {
#if RNNCELL_KERNELS_X86
  if constexpr (I == isa::avx512)
    return avx512::matvec_rows<T, K, N>(x, ldx, rows, w, ldw, c, y, ldy);
  else if constexpr (I == isa::avx2)
    return avx2::matvec_rows<T, K, N>(x, ldx, rows, w, ldw, c, y, ldy);
#endif
  portable::matvec_rows<T, K, N>(x, ldx, rows, w, ldw, c, y, ldy);
}

}  // namespace rnncell::kernels
