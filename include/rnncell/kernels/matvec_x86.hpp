#pragma once
// The AVX2 and AVX-512 matrix-vector kernels (x86 only): one body, simd_panel.ipp, compiled in
// two regions that carry the instruction set as a function target (no -march needed), over
// vec_ops that name the intrinsics. Explicit FMA intrinsics: the result does not depend on the
// user's -ffp-contract, and a default build (-std=c++20 turns GCC's contraction off) keeps FMA.
// Why intrinsics: the portable plain loops, even built -march=native (GCC 12, AVX-512), were 2.2x
// slower at batch 1 (In 28, H 128: 3.7 us against 1.7 us per step) and 12x at batch 8.
#include <rnncell/kernels/isa.hpp>
#include <rnncell/kernels/packed_matrix.hpp>

#include <cstddef>
#include <utility>

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
struct vec_ops;
// 16 ymm registers: passes of 2 vectors for up to 4 rows, 8 accumulators.
template <>
struct vec_ops<float> {
  using vec = __m256;
  static constexpr std::size_t lanes = 8, max_rows = 4;
  static vec load(const float* p) { return _mm256_load_ps(p); }
  static vec loadu(const float* p) { return _mm256_loadu_ps(p); }
  static void storeu(float* p, vec v) { _mm256_storeu_ps(p, v); }
  static vec zero() { return _mm256_setzero_ps(); }
  static vec broadcast(float v) { return _mm256_set1_ps(v); }
  static vec fma(vec a, vec b, vec c) { return _mm256_fmadd_ps(a, b, c); }
  static vec add(vec a, vec b) { return _mm256_add_ps(a, b); }
  using mask = __m256i;  // first(n): lanes 0 .. n-1 all ones
  static mask first(std::size_t n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(int(n)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  static vec loadu(const float* p, mask m) { return _mm256_maskload_ps(p, m); }
  static void storeu(float* p, vec v, mask m) { _mm256_maskstore_ps(p, m, v); }
};
template <>
struct vec_ops<double> {
  using vec = __m256d;
  static constexpr std::size_t lanes = 4, max_rows = 4;
  static vec load(const double* p) { return _mm256_load_pd(p); }
  static vec loadu(const double* p) { return _mm256_loadu_pd(p); }
  static void storeu(double* p, vec v) { _mm256_storeu_pd(p, v); }
  static vec zero() { return _mm256_setzero_pd(); }
  static vec broadcast(double v) { return _mm256_set1_pd(v); }
  static vec fma(vec a, vec b, vec c) { return _mm256_fmadd_pd(a, b, c); }
  static vec add(vec a, vec b) { return _mm256_add_pd(a, b); }
  using mask = __m256i;
  static mask first(std::size_t n) {
    return _mm256_cmpgt_epi64(_mm256_set1_epi64x(static_cast<long long>(n)), _mm256_setr_epi64x(0, 1, 2, 3));
  }
  static vec loadu(const double* p, mask m) { return _mm256_maskload_pd(p, m); }
  static void storeu(double* p, vec v, mask m) { _mm256_maskstore_pd(p, m, v); }
};
}  // namespace rnncell::kernels::avx2
#define RNNCELL_SIMD_NS avx2
#include <rnncell/kernels/simd_panel.ipp>
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
struct vec_ops;
// 32 zmm registers: a whole panel (2 vectors) for up to 8 rows, 16 accumulators.
template <>
struct vec_ops<float> {
  using vec = __m512;
  static constexpr std::size_t lanes = 16, max_rows = 8;
  static vec load(const float* p) { return _mm512_load_ps(p); }
  static vec loadu(const float* p) { return _mm512_loadu_ps(p); }
  static void storeu(float* p, vec v) { _mm512_storeu_ps(p, v); }
  static vec zero() { return _mm512_setzero_ps(); }
  static vec broadcast(float v) { return _mm512_set1_ps(v); }
  static vec fma(vec a, vec b, vec c) { return _mm512_fmadd_ps(a, b, c); }
  static vec add(vec a, vec b) { return _mm512_add_ps(a, b); }
  using mask = __mmask16;  // first(n): bits 0 .. n-1
  static mask first(std::size_t n) { return mask((1u << n) - 1u); }
  static vec loadu(const float* p, mask m) { return _mm512_maskz_loadu_ps(m, p); }
  static void storeu(float* p, vec v, mask m) { _mm512_mask_storeu_ps(p, m, v); }
};
template <>
struct vec_ops<double> {
  using vec = __m512d;
  static constexpr std::size_t lanes = 8, max_rows = 8;
  static vec load(const double* p) { return _mm512_load_pd(p); }
  static vec loadu(const double* p) { return _mm512_loadu_pd(p); }
  static void storeu(double* p, vec v) { _mm512_storeu_pd(p, v); }
  static vec zero() { return _mm512_setzero_pd(); }
  static vec broadcast(double v) { return _mm512_set1_pd(v); }
  static vec fma(vec a, vec b, vec c) { return _mm512_fmadd_pd(a, b, c); }
  static vec add(vec a, vec b) { return _mm512_add_pd(a, b); }
  using mask = __mmask8;
  static mask first(std::size_t n) { return mask((1u << n) - 1u); }
  static vec loadu(const double* p, mask m) { return _mm512_maskz_loadu_pd(m, p); }
  static void storeu(double* p, vec v, mask m) { _mm512_mask_storeu_pd(p, m, v); }
};
}  // namespace rnncell::kernels::avx512
#define RNNCELL_SIMD_NS avx512
#include <rnncell/kernels/simd_panel.ipp>
#undef RNNCELL_SIMD_NS
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#endif  // RNNCELL_KERNELS_X86
