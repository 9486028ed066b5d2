#pragma once
// Matrix products on views, their sizes and strides read from the operands:
//   gemm_add(C, A, B)             C += A B
//   gemm_set(C, A, B)             C  = A B
//   gemm_add(C, transposed(A), B) C += A^T B      (and A B^T with transposed(B))
// A gate block of a (rows x G*H) matrix is used in place through matrix_ref::block. Products run
// in the system's CBLAS (OpenBLAS), row-major; sizes are checked by assert in debug builds.
#include <rnncell/detail/matrix_ref.hpp>

#include <cassert>
#include <cstddef>
#include <type_traits>

namespace rnncell::detail {

/// Marks an operand to be used transposed.
template <class T>
struct transposed_ref {
  matrix_ref<const T> m;
};
template <class T>
transposed_ref<std::remove_const_t<T>> transposed(matrix_ref<T> m) {
  return {m};
}

namespace gemm_detail {
// CBLAS's sgemm and dgemm under names of our own (asm labels bind them to the cblas_* symbols),
// rather than through <cblas.h>: xtensor-blas ships a cblas.h of its own whose enums clash with
// OpenBLAS's, so a user's file that included both rnncell and xtensor-blas would not compile.
// The enum values are the CBLAS standard's; the integers are int (Debian's 32-bit-index OpenBLAS).
enum : int { cblas_row_major = 101, cblas_no_trans = 111, cblas_trans = 112 };
void cblas_sgemm_(int order, int trans_a, int trans_b, int m, int n, int k, float alpha, const float* a, int lda,
                  const float* b, int ldb, float beta, float* c, int ldc) __asm__("cblas_sgemm");
void cblas_dgemm_(int order, int trans_a, int trans_b, int m, int n, int k, double alpha, const double* a,
                  int lda, const double* b, int ldb, double beta, double* c, int ldc) __asm__("cblas_dgemm");

// One operand as BLAS sees it: op(M) rows x cols, the memory's leading dimension, and whether
// the memory is read transposed.
template <class T>
struct operand {
  const T* data;
  std::size_t rows, cols, ld;
  bool transpose;
};
template <class T>
operand<T> as_operand(matrix_ref<const T> m) {
  return {m.data, m.rows, m.cols, m.stride, false};
}
template <class T>
operand<T> as_operand(transposed_ref<T> t) {
  return {t.m.data, t.m.cols, t.m.rows, t.m.stride, true};
}

inline void blas_gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, float beta, const float* a,
                      std::size_t lda, const float* b, std::size_t ldb, float* c, std::size_t ldc) {
  cblas_sgemm_(cblas_row_major, ta ? cblas_trans : cblas_no_trans, tb ? cblas_trans : cblas_no_trans, int(m),
               int(n), int(k), 1.0f, a, int(lda), b, int(ldb), beta, c, int(ldc));
}
inline void blas_gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, double beta, const double* a,
                      std::size_t lda, const double* b, std::size_t ldb, double* c, std::size_t ldc) {
  cblas_dgemm_(cblas_row_major, ta ? cblas_trans : cblas_no_trans, tb ? cblas_trans : cblas_no_trans, int(m),
               int(n), int(k), 1.0, a, int(lda), b, int(ldb), beta, c, int(ldc));
}

// C = A B + beta C.
template <class T>
void gemm(matrix_ref<T> c, operand<T> a, operand<T> b, T beta) {
  assert(a.rows == c.rows && b.cols == c.cols && a.cols == b.rows);
  if (c.rows == 0 || c.cols == 0) return;
  blas_gemm(a.transpose, b.transpose, c.rows, c.cols, a.cols, beta, a.data, a.ld, b.data, b.ld, c.data, c.stride);
}
}  // namespace gemm_detail

/// C += op(A) op(B); A and B are matrix_ref or transposed(matrix_ref).
template <class T, class A, class B>
void gemm_add(matrix_ref<T> c, A a, B b) {
  gemm_detail::gemm(c, gemm_detail::as_operand<T>(a), gemm_detail::as_operand<T>(b), T(1));
}

/// C = op(A) op(B).
template <class T, class A, class B>
void gemm_set(matrix_ref<T> c, A a, B b) {
  gemm_detail::gemm(c, gemm_detail::as_operand<T>(a), gemm_detail::as_operand<T>(b), T(0));
}

/// out[c] += sum over rows of m(r, c): a bias gradient from per-row gradients. The width is a
/// template argument so that the inner loop has a compile-time trip count.
template <std::size_t Cols, class T>
void add_column_sums(matrix_ref<const T> m, T* out) {
  assert(m.cols == Cols);
  for (std::size_t r = 0; r < m.rows; ++r) {
    const T* row = m.row(r);
    for (std::size_t c = 0; c < Cols; ++c) out[c] += row[c];
  }
}

}  // namespace rnncell::detail
