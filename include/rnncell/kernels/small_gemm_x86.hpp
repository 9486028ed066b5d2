#pragma once
// The AVX2 and AVX-512 kernels of small_gemm.hpp (x86 only): one body, small_gemm_panel.ipp,
// compiled in two regions that carry the instruction set as a function target (no -march needed),
// over gemm_ops that name the intrinsics. As matvec_x86.hpp: explicit FMA intrinsics, so the
// result does not depend on the user's -ffp-contract. gemm_ops adds to the streaming kernels'
// vector operations the masked loads and stores of a block's last columns (N need not be a
// multiple of the vector width: 2H = 100 at H = 50).
#include <rnncell/kernels/isa.hpp>
#include <rnncell/kernels/packed_matrix.hpp>

#include <cstddef>

#if RNNCELL_KERNELS_X86
#include <immintrin.h>

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#endif
namespace rnncell::kernels::avx2 {
template <class T>
struct gemm_ops;
// 16 ymm registers: 6 rows of 2 vectors, 12 accumulators (the classic 6 x 16 Haswell block).
template <>
struct gemm_ops<float> {
  using vec = __m256;
  static constexpr std::size_t lanes = 8, rows = 6;
  static vec load(const float* p) { return _mm256_load_ps(p); }
  static vec loadu(const float* p) { return _mm256_loadu_ps(p); }
  static void storeu(float* p, vec v) { _mm256_storeu_ps(p, v); }
  static __m256i first(std::size_t n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(int(n)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  static vec load_first(const float* p, std::size_t n) { return _mm256_maskload_ps(p, first(n)); }
  static void store_first(float* p, std::size_t n, vec v) { _mm256_maskstore_ps(p, first(n), v); }
  static vec zero() { return _mm256_setzero_ps(); }
  static vec broadcast(float v) { return _mm256_set1_ps(v); }
  static vec fma(vec a, vec b, vec c) { return _mm256_fmadd_ps(a, b, c); }
  static vec add(vec a, vec b) { return _mm256_add_ps(a, b); }
};
template <>
struct gemm_ops<double> {
  using vec = __m256d;
  static constexpr std::size_t lanes = 4, rows = 6;
  static vec load(const double* p) { return _mm256_load_pd(p); }
  static vec loadu(const double* p) { return _mm256_loadu_pd(p); }
  static void storeu(double* p, vec v) { _mm256_storeu_pd(p, v); }
  static __m256i first(std::size_t n) {
    return _mm256_cmpgt_epi64(_mm256_set1_epi64x(static_cast<long long>(n)), _mm256_setr_epi64x(0, 1, 2, 3));
  }
  static vec load_first(const double* p, std::size_t n) { return _mm256_maskload_pd(p, first(n)); }
  static void store_first(double* p, std::size_t n, vec v) { _mm256_maskstore_pd(p, first(n), v); }
  static vec zero() { return _mm256_setzero_pd(); }
  static vec broadcast(double v) { return _mm256_set1_pd(v); }
  static vec fma(vec a, vec b, vec c) { return _mm256_fmadd_pd(a, b, c); }
  static vec add(vec a, vec b) { return _mm256_add_pd(a, b); }
};
}  // namespace rnncell::kernels::avx2
#define RNNCELL_SIMD_NS avx2
#include <rnncell/kernels/small_gemm_panel.ipp>
#undef RNNCELL_SIMD_NS
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512vl,avx512dq,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,avx512vl,avx512dq,fma")
#endif
namespace rnncell::kernels::avx512 {
template <class T>
struct gemm_ops;
// 32 zmm registers: 8 rows of a whole panel (2 vectors), 16 accumulators.
template <>
struct gemm_ops<float> {
  using vec = __m512;
  static constexpr std::size_t lanes = 16, rows = 8;
  static vec load(const float* p) { return _mm512_load_ps(p); }
  static vec loadu(const float* p) { return _mm512_loadu_ps(p); }
  static void storeu(float* p, vec v) { _mm512_storeu_ps(p, v); }
  static __mmask16 first(std::size_t n) { return __mmask16((1u << n) - 1); }
  static vec load_first(const float* p, std::size_t n) { return _mm512_maskz_loadu_ps(first(n), p); }
  static void store_first(float* p, std::size_t n, vec v) { _mm512_mask_storeu_ps(p, first(n), v); }
  static vec zero() { return _mm512_setzero_ps(); }
  static vec broadcast(float v) { return _mm512_set1_ps(v); }
  static vec fma(vec a, vec b, vec c) { return _mm512_fmadd_ps(a, b, c); }
  static vec add(vec a, vec b) { return _mm512_add_ps(a, b); }
};
template <>
struct gemm_ops<double> {
  using vec = __m512d;
  static constexpr std::size_t lanes = 8, rows = 8;
  static vec load(const double* p) { return _mm512_load_pd(p); }
  static vec loadu(const double* p) { return _mm512_loadu_pd(p); }
  static void storeu(double* p, vec v) { _mm512_storeu_pd(p, v); }
  static __mmask8 first(std::size_t n) { return __mmask8((1u << n) - 1); }
  static vec load_first(const double* p, std::size_t n) { return _mm512_maskz_loadu_pd(first(n), p); }
  static void store_first(double* p, std::size_t n, vec v) { _mm512_mask_storeu_pd(p, first(n), v); }
  static vec zero() { return _mm512_setzero_pd(); }
  static vec broadcast(double v) { return _mm512_set1_pd(v); }
  static vec fma(vec a, vec b, vec c) { return _mm512_fmadd_pd(a, b, c); }
  static vec add(vec a, vec b) { return _mm512_add_pd(a, b); }
};
}  // namespace rnncell::kernels::avx512
#define RNNCELL_SIMD_NS avx512
#include <rnncell/kernels/small_gemm_panel.ipp>
#undef RNNCELL_SIMD_NS
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#endif  // RNNCELL_KERNELS_X86
