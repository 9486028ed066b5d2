// The per-step GEMM kernels (kernels/small_gemm.hpp) against a naive product in long double, on
// every path this CPU has: odd row counts (the row-block remainders), widths that are not a
// multiple of any vector width (the edge's first lanes, store_first / add_first; on AVX2 a last
// pass of at most half a vector runs in xmm: N = 1, 3, 33, 50, 100 float, N = 10 double), set,
// add and set with a bias row (bit for bit the bias copied into every row, then add), packed as is
// and transposed, float and double; columns beside the product's block untouched; every path
// within 1e-5 (float) relative of the portable one.
#include "support/kernel_paths.hpp"

#include <rnncell/kernels/small_gemm.hpp>
#include <rnncell/random.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

using namespace rnncell;
using kernels::isa;

namespace {

constexpr std::size_t row_counts[] = {1, 2, 5, 7, 8, 9, 10, 11, 13, 32, 33};
constexpr double sentinel = 12345;

template <class T>
std::vector<T> random_values(std::size_t n, rng& g) {
  std::vector<T> v(n);
  for (auto& x : v) x = T(g.uniform(-1, 1));
  return v;
}

// C (m x N) in a wider matrix: `margin` sentinel columns on each side of the block.
template <class T, std::size_t N>
struct wide_output {
  static constexpr std::size_t margin = 3, stride = N + 2 * margin;
  std::vector<T> values;
  wide_output(std::size_t m, const std::vector<T>& start) : values(m * stride, T(sentinel)) {
    for (std::size_t i = 0; i < m; ++i) std::copy_n(start.data() + i * N, N, values.data() + i * stride + margin);
  }
  detail::matrix_ref<T> block(std::size_t m) { return {values.data() + margin, m, N, stride}; }
};

// How a product writes C: C = A W, C += A W, or C = bias + A W (bias a row added to every row).
enum class write { set, add, bias };

// One shape on one path: each way of writing C, W packed as is (from a K x N matrix) and
// transposed (from an N x K matrix); returns every result, for the comparison between paths.
template <class T, std::size_t K, std::size_t N>
std::vector<T> check_shape(isa path, double tolerance) {
  CAPTURE(kernels::isa_name(path));
  CAPTURE(K);
  CAPTURE(N);
  rng g(K * 1000 + N);
  const std::size_t ldw = N + 5;  // a block of a wider weight matrix, as Wh's gate blocks are
  const std::vector<T> w = random_values<T>(K * ldw, g), wt = random_values<T>(N * (K + 2), g);
  std::vector<T> packed(kernels::packed_block<T, K, N>::size + 64), packed_t(packed.size());
  T* const aligned = reinterpret_cast<T*>((reinterpret_cast<std::uintptr_t>(packed.data()) + 63) / 64 * 64);
  T* const aligned_t = reinterpret_cast<T*>((reinterpret_cast<std::uintptr_t>(packed_t.data()) + 63) / 64 * 64);
  const auto bp = kernels::pack<K, N>(w.data(), ldw, aligned);
  const auto bt = kernels::pack_transposed<K, N>(path, wt.data(), K + 2, aligned_t);
  // The bias row as gemm_packed reads it: padded to whole panels (a sentinel in the padding, which
  // must be dropped), 64-byte aligned.
  const std::vector<T> bias = random_values<T>(N, g);
  std::vector<T> bias_room(kernels::padded_width<T, N> + 64, T(sentinel));
  T* const padded_bias = reinterpret_cast<T*>((reinterpret_cast<std::uintptr_t>(bias_room.data()) + 63) / 64 * 64);
  std::copy(bias.begin(), bias.end(), padded_bias);
  std::vector<T> results;
  for (std::size_t m : row_counts) {
    CAPTURE(m);
    const std::size_t lda = K + 1;
    const std::vector<T> a = random_values<T>(m * lda, g), c0 = random_values<T>(m * N, g);
    for (bool transposed : {false, true})
      for (write mode : {write::set, write::add, write::bias}) {
        CAPTURE(transposed);
        CAPTURE(int(mode));
        const bool add = mode == write::add;
        wide_output<T, N> c(m, c0);
        const detail::matrix_ref<const T> av(a.data(), m, K, lda);
        const auto product = [&](auto packed_w) {
          if (add)
            kernels::gemm_packed<true>(path, c.block(m), av, packed_w);
          else
            kernels::gemm_packed<false>(path, c.block(m), av, packed_w, mode == write::bias ? padded_bias : nullptr);
          if (mode != write::bias) return;
          // bit for bit what the bias copied into every row, then C += A W, gives
          std::vector<T> rows_of_bias(m * N);
          for (std::size_t i = 0; i < m; ++i) std::copy(bias.begin(), bias.end(), rows_of_bias.begin() + i * N);
          wide_output<T, N> copied(m, rows_of_bias);
          kernels::gemm_packed<true>(path, copied.block(m), av, packed_w);
          CHECK(copied.values == c.values);
        };
        transposed ? product(bt) : product(bp);
        double worst = 0, untouched = 0;
        for (std::size_t i = 0; i < m; ++i) {
          const T* row = c.values.data() + i * c.stride;
          for (std::size_t j = 0; j < c.margin; ++j)
            untouched = std::max({untouched, std::abs(double(row[j]) - sentinel),
                                  std::abs(double(row[c.margin + N + j]) - sentinel)});
          for (std::size_t j = 0; j < N; ++j) {
            long double expected = add ? c0[i * N + j] : mode == write::bias ? bias[j] : 0, scale = std::abs(expected);
            for (std::size_t k = 0; k < K; ++k) {
              const long double term = (long double)a[i * lda + k] * (transposed ? wt[j * (K + 2) + k] : w[k * ldw + j]);
              expected += term;
              scale += std::abs(term);
            }
            worst = std::max(worst, double(std::abs(row[c.margin + j] - expected) / scale));
            results.push_back(row[c.margin + j]);
          }
        }
        CHECK(untouched == 0);
        CHECK(worst <= tolerance);
      }
  }
  return results;
}

template <class T, std::size_t K, std::size_t N>
void check_every_path(double tolerance) {
  test::check_paths_agree([&](isa path) { return check_shape<T, K, N>(path, tolerance); }, tolerance);
}

// The whole packed transpose of an N x K block (a wider matrix's, ldw = K + 3) on one path, the
// zero columns of the last panel included.
template <std::size_t K, std::size_t N>
std::vector<float> packed_transpose(isa path) {
  rng g(K * 7 + N);
  const std::vector<float> w = random_values<float>(N * (K + 3), g);
  std::vector<float> packed(kernels::packed_block<float, K, N>::size, float(sentinel));
  kernels::pack_transposed<K, N>(path, w.data(), K + 3, packed.data());
  return packed;
}

template <std::size_t K, std::size_t N>
void check_transpose_every_path() {
  CAPTURE(K);
  CAPTURE(N);
  test::check_paths_agree([](isa path) { return packed_transpose<K, N>(path); }, 0);
}

}  // namespace

TEST_CASE("small_gemm: every path equals a naive product, float") {
  // Rounding of a K-term float sum, bounded relative to sum |terms|.
  constexpr double tolerance = 1e-5;
  check_every_path<float, 1, 1>(tolerance);
  check_every_path<float, 5, 3>(tolerance);
  check_every_path<float, 17, 33>(tolerance);
  check_every_path<float, 28, 150>(tolerance);
  check_every_path<float, 50, 100>(tolerance);
  check_every_path<float, 100, 50>(tolerance);
  check_every_path<float, 128, 384>(tolerance);
  check_every_path<float, 256, 256>(tolerance);
}

TEST_CASE("small_gemm: every path equals a naive product, double") {
  constexpr double tolerance = 1e-13;
  check_every_path<double, 3, 7>(tolerance);
  check_every_path<double, 19, 10>(tolerance);
  check_every_path<double, 50, 150>(tolerance);
  check_every_path<double, 128, 128>(tolerance);
}

TEST_CASE("pack_transposed: every path writes the portable path's panels, bit for bit") {
  // Below one 8 x 8 block, whole blocks, a k remainder, a column remainder inside a panel, and
  // the cells' shapes: Wx^T of a first layer (768 x 28) and Wh^T's gate blocks.
  check_transpose_every_path<5, 3>();
  check_transpose_every_path<8, 8>();
  check_transpose_every_path<13, 45>();
  check_transpose_every_path<100, 50>();
  check_transpose_every_path<768, 28>();
  check_transpose_every_path<512, 256>();
}
