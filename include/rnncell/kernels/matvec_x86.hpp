#pragma once
// The AVX2 and AVX-512 kernels (x86 only): the matrix-vector products (simd_panel.ipp) and the
// fused gate rows (simd_gates.ipp), each one body compiled in two regions that carry the
// instruction set as a function target (no -march needed), over vec_ops that name the intrinsics.
// Explicit FMA intrinsics in the products: their sums do not depend on the compiler's contraction
// (-ffp-contract), and a default build (SSE2 outside these regions) still runs FMA.
// Why intrinsics: the portable plain loops, even built -march=native (GCC 12, AVX-512), were 2.2x
// slower at batch 1 (In 28, H 128: 3.7 us against 1.7 us per step) and 12x at batch 8.
#include <rnncell/detail/matrix_ref.hpp>
#include <rnncell/kernels/isa.hpp>
#include <rnncell/kernels/packed_matrix.hpp>

#include <algorithm>
#include <cstddef>
#include <type_traits>
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
  static constexpr std::size_t lanes = 8, max_rows = 4, registers = 16;
  static vec load(const float* p) { return _mm256_load_ps(p); }
  static vec loadu(const float* p) { return _mm256_loadu_ps(p); }
  static void storeu(float* p, vec v) { _mm256_storeu_ps(p, v); }
  static vec zero() { return _mm256_setzero_ps(); }
  static vec broadcast(float v) { return _mm256_set1_ps(v); }
  static vec fma(vec a, vec b, vec c) { return _mm256_fmadd_ps(a, b, c); }
  static vec add(vec a, vec b) { return _mm256_add_ps(a, b); }
  static vec sub(vec a, vec b) { return _mm256_sub_ps(a, b); }
  static vec mul(vec a, vec b) { return _mm256_mul_ps(a, b); }
  static vec div(vec a, vec b) { return _mm256_div_ps(a, b); }
  static vec sqrt(vec a) { return _mm256_sqrt_ps(a); }
  static vec min(vec a, vec b) { return _mm256_min_ps(a, b); }  // b where either is NaN
  static vec max(vec a, vec b) { return _mm256_max_ps(a, b); }
  // Whether some lane is below lo or above hi (a NaN is neither).
  static bool any_outside(vec v, float lo, float hi) {
    const vec out = _mm256_or_ps(_mm256_cmp_ps(v, broadcast(lo), _CMP_LT_OQ), _mm256_cmp_ps(v, broadcast(hi), _CMP_GT_OQ));
    return !_mm256_testz_ps(out, out);
  }
  // 2^n from the bits of x / ln2 + 1.5 * 2^23 (detail::exp_unclamped)
  static vec pow2_from_shifted(vec s) {
    const __m256i n = _mm256_sub_epi32(_mm256_castps_si256(s), _mm256_set1_epi32(0x4B400000 - 127));
    return _mm256_castsi256_ps(_mm256_slli_epi32(n, 23));
  }
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
  static constexpr std::size_t lanes = 4, max_rows = 4, registers = 16;
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
// Half vectors (xmm: 4 floats, 2 doubles), for a small_gemm or weight gradient pass whose columns
// fit in one (small_gemm_x86.hpp, pass_ops): Zen 1 splits each ymm FMA in two, so there such a
// pass needs half the FMA cycles it does in whole vectors; other AVX2 CPUs run either width at one
// FMA per instruction.
template <class T>
struct half_vec_ops;
template <>
struct half_vec_ops<float> {
  using vec = __m128;
  static constexpr std::size_t lanes = 4;
  static vec load(const float* p) { return _mm_load_ps(p); }
  static vec loadu(const float* p) { return _mm_loadu_ps(p); }
  static void storeu(float* p, vec v) { _mm_storeu_ps(p, v); }
  static vec zero() { return _mm_setzero_ps(); }
  static vec broadcast(float v) { return _mm_set1_ps(v); }
  static vec fma(vec a, vec b, vec c) { return _mm_fmadd_ps(a, b, c); }
  static vec add(vec a, vec b) { return _mm_add_ps(a, b); }
};
template <>
struct half_vec_ops<double> {
  using vec = __m128d;
  static constexpr std::size_t lanes = 2;
  static vec load(const double* p) { return _mm_load_pd(p); }
  static vec loadu(const double* p) { return _mm_loadu_pd(p); }
  static void storeu(double* p, vec v) { _mm_storeu_pd(p, v); }
  static vec zero() { return _mm_setzero_pd(); }
  static vec broadcast(double v) { return _mm_set1_pd(v); }
  static vec fma(vec a, vec b, vec c) { return _mm_fmadd_pd(a, b, c); }
  static vec add(vec a, vec b) { return _mm_add_pd(a, b); }
};
// p[j] = v[j] and p[j] += v[j] for the first n lanes of a vector of O (n below its width, known at
// compile time): a register block's last columns at a matrix's right edge. Through an aligned
// spill and scalar stores, not vmaskmovps, which Zen 1 runs slowly: small_gemm
// (small_gemm_panel.ipp) at K = 50, N = 50, 32 rows took 5.36 us with it, 5.06-5.07 us this way
// (N = 48: 4.22-4.23 us; one core, two interleaved runs).
template <std::size_t n, class O, class T>
inline void store_first(T* p, typename O::vec v) {
  alignas(32) T spill[O::lanes];
  O::storeu(spill, v);
  for (std::size_t j = 0; j < n; ++j) p[j] = spill[j];
}
template <std::size_t n, class O, class T>
inline void add_first(T* p, typename O::vec v) {
  alignas(32) T spill[O::lanes];
  O::storeu(spill, v);
  for (std::size_t j = 0; j < n; ++j) p[j] += spill[j];
}
// The first n values at p in a vector of O, the other lanes zero (the gate rows' last columns):
// through the same spill, never reading past p + n.
template <std::size_t n, class O, class T>
inline typename O::vec load_first(const T* p) {
  alignas(32) T spill[O::lanes] = {};
  for (std::size_t j = 0; j < n; ++j) spill[j] = p[j];
  return O::loadu(spill);
}
// The gate math's vectors: 8 floats, the unit of every gate stride (block_stride).
template <std::size_t Hp>
using gate_ops = vec_ops<float>;
}  // namespace rnncell::kernels::avx2
#define RNNCELL_SIMD_NS avx2
#include <rnncell/kernels/simd_panel.ipp>
#include <rnncell/kernels/simd_gates.ipp>
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
  static constexpr std::size_t lanes = 16, max_rows = 8, registers = 32;
  static vec load(const float* p) { return _mm512_load_ps(p); }
  static vec loadu(const float* p) { return _mm512_loadu_ps(p); }
  static void storeu(float* p, vec v) { _mm512_storeu_ps(p, v); }
  static vec zero() { return _mm512_setzero_ps(); }
  static vec broadcast(float v) { return _mm512_set1_ps(v); }
  static vec fma(vec a, vec b, vec c) { return _mm512_fmadd_ps(a, b, c); }
  static vec add(vec a, vec b) { return _mm512_add_ps(a, b); }
  static vec sub(vec a, vec b) { return _mm512_sub_ps(a, b); }
  static vec mul(vec a, vec b) { return _mm512_mul_ps(a, b); }
  static vec div(vec a, vec b) { return _mm512_div_ps(a, b); }
  // min, max, sqrt and the shift below through their zero-masked forms with every lane selected:
  // the same instructions, but GCC 12's plain forms start from _mm512_undefined_ps(), which it
  // reports as "may be used uninitialized" in every unit that inlines them (-Wall).
  static vec sqrt(vec a) { return _mm512_maskz_sqrt_ps(__mmask16(0xFFFF), a); }
  static vec min(vec a, vec b) { return _mm512_maskz_min_ps(__mmask16(0xFFFF), a, b); }  // b where either is NaN
  static vec max(vec a, vec b) { return _mm512_maskz_max_ps(__mmask16(0xFFFF), a, b); }
  static bool any_outside(vec v, float lo, float hi) {
    return (_mm512_cmp_ps_mask(v, broadcast(lo), _CMP_LT_OQ) | _mm512_cmp_ps_mask(v, broadcast(hi), _CMP_GT_OQ)) != 0;
  }
  static vec pow2_from_shifted(vec s) {
    const __m512i n = _mm512_sub_epi32(_mm512_castps_si512(s), _mm512_set1_epi32(0x4B400000 - 127));
    return _mm512_castsi512_ps(_mm512_maskz_slli_epi32(__mmask16(0xFFFF), n, 23));
  }
  using mask = __mmask16;  // first(n): bits 0 .. n-1
  static mask first(std::size_t n) { return mask((1u << n) - 1u); }
  static vec loadu(const float* p, mask m) { return _mm512_maskz_loadu_ps(m, p); }
  static void storeu(float* p, vec v, mask m) { _mm512_mask_storeu_ps(p, m, v); }
};
template <>
struct vec_ops<double> {
  using vec = __m512d;
  static constexpr std::size_t lanes = 8, max_rows = 8, registers = 32;
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
// p[j] = v[j], p[j] += v[j] and the load of the first n lanes (as on AVX2): under a mask register,
// which costs nothing extra here.
template <std::size_t n, class O, class T>
inline void store_first(T* p, typename O::vec v) {
  O::storeu(p, v, O::first(n));
}
template <std::size_t n, class O, class T>
inline void add_first(T* p, typename O::vec v) {
  O::storeu(p, O::add(O::loadu(p, O::first(n)), v), O::first(n));
}
template <std::size_t n, class O, class T>
inline typename O::vec load_first(const T* p) {
  return O::loadu(p, O::first(n));
}
// The gate math's vectors: 16 floats where the gate stride is whole zmm vectors, else 8 (ymm).
template <std::size_t Hp>
using gate_ops = std::conditional_t<Hp % 16 == 0, vec_ops<float>, avx2::vec_ops<float>>;
}  // namespace rnncell::kernels::avx512
#define RNNCELL_SIMD_NS avx512
#include <rnncell/kernels/simd_panel.ipp>
#include <rnncell/kernels/simd_gates.ipp>
#undef RNNCELL_SIMD_NS
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#endif  // RNNCELL_KERNELS_X86
