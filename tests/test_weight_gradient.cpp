// The weight-gradient kernel (kernels/weight_gradient.hpp), C += A^T D, against a naive sum in
// long double, on every path this CPU has: row counts around the kernel's chunks of rows (128, or
// fewer where the AVX2 path packs a wide A) and below a register block, K not a multiple of any
// block's row count, N not a multiple of any vector width (the last pass's masked loads, or on
// AVX2 its zero-padded copy, read in xmm where it fits in one: N = 1, 3, 33, 100 float, 9 and 10
// double), strided A and D (gate blocks of wider matrices); C's columns beside its block
// untouched; float and double; every path within 1e-5 (float) of the portable one. And M handed
// over in pieces of gradient_chunk_rows rows gives C bit for bit as one call over all M does
// (BaseRNNCell's and Dense's backwards rely on it).
#include "support/kernel_paths.hpp"

#include <rnncell/kernels/weight_gradient.hpp>
#include <rnncell/random.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

using namespace rnncell;
using kernels::isa;

namespace {

constexpr std::size_t row_counts[] = {1, 5, 127, 128, 129, 300};
constexpr double sentinel = 12345;

template <class T, std::size_t K, std::size_t N>
std::vector<T> check_shape(isa path, double tolerance) {
  CAPTURE(kernels::isa_name(path));
  CAPTURE(K);
  CAPTURE(N);
  rng g(K * 1000 + N);
  std::vector<T> results;
  for (std::size_t m : row_counts) {
    CAPTURE(m);
    // A and D are blocks of wider matrices (strides K + 3 and N + 7), C a block of a K x (N + 6)
    // matrix whose 3 columns on each side hold a sentinel.
    const std::size_t lda = K + 3, ldd = N + 7, margin = 3, ldc = N + 2 * margin;
    std::vector<T> a(m * lda), d(m * ldd), c(K * ldc, T(sentinel)), c0(K * N);
    for (auto* v : {&a, &d, &c0})
      for (auto& x : *v) x = T(g.uniform(-1, 1));
    for (std::size_t i = 0; i < K; ++i) std::copy_n(c0.data() + i * N, N, c.data() + i * ldc + margin);
    kernels::add_weight_gradient<K, N>(path, detail::matrix_ref<T>(c.data() + margin, K, N, ldc),
                                       detail::matrix_ref<const T>(a.data(), m, K, lda),
                                       detail::matrix_ref<const T>(d.data(), m, N, ldd));
    double worst = 0, untouched = 0;
    for (std::size_t i = 0; i < K; ++i) {
      const T* const row = c.data() + i * ldc;
      for (std::size_t j = 0; j < margin; ++j)
        untouched = std::max({untouched, std::abs(double(row[j]) - sentinel),
                              std::abs(double(row[margin + N + j]) - sentinel)});
      for (std::size_t j = 0; j < N; ++j) {
        long double expected = c0[i * N + j], scale = std::abs(expected);
        for (std::size_t r = 0; r < m; ++r) {
          const long double term = (long double)a[r * lda + i] * d[r * ldd + j];
          expected += term;
          scale += std::abs(term);
        }
        worst = std::max(worst, double(std::abs(row[margin + j] - expected) / scale));
        results.push_back(row[margin + j]);
      }
    }
    CHECK(untouched == 0);
    CHECK(worst <= tolerance);
    // The same rows in pieces of gradient_chunk_rows, the last one shorter: the same sums.
    std::vector<T> pieces(K * ldc, T(sentinel));
    for (std::size_t i = 0; i < K; ++i) std::copy_n(c0.data() + i * N, N, pieces.data() + i * ldc + margin);
    for (std::size_t first = 0; first < m; first += kernels::gradient_chunk_rows) {
      const std::size_t count = std::min(kernels::gradient_chunk_rows, m - first);
      kernels::add_weight_gradient<K, N>(path, detail::matrix_ref<T>(pieces.data() + margin, K, N, ldc),
                                         detail::matrix_ref<const T>(a.data() + first * lda, count, K, lda),
                                         detail::matrix_ref<const T>(d.data() + first * ldd, count, N, ldd));
    }
    CHECK(pieces == c);
  }
  return results;
}

template <class T, std::size_t K, std::size_t N>
void check_every_path(double tolerance) {
  test::check_paths_agree([&](isa path) { return check_shape<T, K, N>(path, tolerance); }, tolerance);
}

}  // namespace

TEST_CASE("weight_gradient: every path equals a naive sum, float") {
  // Rounding of an m-term float sum, bounded relative to sum |terms|.
  constexpr double tolerance = 1e-5;
  check_every_path<float, 1, 1>(tolerance);
  check_every_path<float, 5, 3>(tolerance);
  check_every_path<float, 13, 33>(tolerance);
  check_every_path<float, 28, 150>(tolerance);
  check_every_path<float, 50, 100>(tolerance);
  check_every_path<float, 128, 384>(tolerance);
  check_every_path<float, 256, 40>(tolerance);  // AVX2 packs A in chunks of 64 rows here
  check_every_path<float, 150, 16>(tolerance);  // and of 64 here (109 rows would fit)
}

TEST_CASE("weight_gradient: every path equals a naive sum, double") {
  constexpr double tolerance = 1e-13;
  check_every_path<double, 3, 7>(tolerance);
  check_every_path<double, 25, 10>(tolerance);
  check_every_path<double, 50, 150>(tolerance);
  check_every_path<double, 100, 9>(tolerance);  // AVX2 packs A in chunks of 64 rows here (81 would fit)
}
