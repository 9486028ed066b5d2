#pragma once
// Row-major GEMM on raw pointers into preallocated buffers: C = alpha * op(A) op(B) + beta * C.
// Called with leading dimensions so that a gate block of a (rows x G*H) matrix is used in place.
#include <cblas.h>

#include <cstddef>

namespace rnncell::detail {

enum class transpose : bool { no = false, yes = true };

inline CBLAS_TRANSPOSE to_cblas(transpose t) { return t == transpose::yes ? CblasTrans : CblasNoTrans; }

inline void gemm(transpose ta, transpose tb, std::size_t m, std::size_t n, std::size_t k, float alpha,
                 const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c,
                 std::size_t ldc) {
  if (m == 0 || n == 0) return;
  cblas_sgemm(CblasRowMajor, to_cblas(ta), to_cblas(tb), int(m), int(n), int(k), alpha, a, int(lda), b,
              int(ldb), beta, c, int(ldc));
}

inline void gemm(transpose ta, transpose tb, std::size_t m, std::size_t n, std::size_t k, double alpha,
                 const double* a, std::size_t lda, const double* b, std::size_t ldb, double beta, double* c,
                 std::size_t ldc) {
  if (m == 0 || n == 0) return;
  cblas_dgemm(CblasRowMajor, to_cblas(ta), to_cblas(tb), int(m), int(n), int(k), alpha, a, int(lda), b,
              int(ldb), beta, c, int(ldc));
}

// Adds the column sums of a (rows x cols) row-major block with leading dimension ld to out.
template <class T>
void add_column_sums(const T* a, std::size_t rows, std::size_t cols, std::size_t ld, T* out) {
  for (std::size_t r = 0; r < rows; ++r) {
    const T* row = a + r * ld;
    for (std::size_t c = 0; c < cols; ++c) out[c] += row[c];
  }
}

}  // namespace rnncell::detail
