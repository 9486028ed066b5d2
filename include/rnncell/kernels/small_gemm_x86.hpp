#pragma once
// The AVX2 and AVX-512 kernels of small_gemm.hpp, weight_gradient.hpp and adam_update.hpp (x86
// only): one body each, small_gemm_panel.ipp, weight_gradient_panel.ipp and adam_update_simd.ipp,
// compiled in two regions that carry the instruction set as a function target (no -march
// needed), over the streaming kernels' vec_ops (matvec_x86.hpp: the intrinsics, and store_first /
// add_first for a block's last columns, since N need not be a multiple of the vector width:
// 2H = 100 at H = 50). As there: explicit FMA intrinsics, so the result does not depend on the
// user's -ffp-contract. What this file adds per instruction set is the register blocks' row counts
// and a pass's vector type (pass_ops).
// The AVX2 region also holds transpose_avx2.ipp, small_gemm.hpp's pack_transposed on both paths.
#include <rnncell/kernels/isa.hpp>
#include <rnncell/kernels/matvec_x86.hpp>
#include <rnncell/kernels/packed_matrix.hpp>

#include <bit>
#include <cstddef>
#include <type_traits>

namespace rnncell::kernels {
/// The rows a weight gradient (weight_gradient.hpp, every path) sums in its accumulators before it
/// adds them to C: it cuts M into chunks of this many rows, or of a power of two that divides it.
/// So a caller that hands it M in pieces of a multiple of this many rows gets the same sums, in the
/// same order, bit for bit, as one call over all M (BaseRNNCell's backward does, so that every
/// reader of the gate gradients takes one piece while it is in cache).
inline constexpr std::size_t gradient_chunk_rows = 128;
}  // namespace rnncell::kernels

#if RNNCELL_KERNELS_X86

namespace rnncell::kernels {
// Rows below which a register block of two vectors per row has fewer than 8 independent
// accumulators: FMA latency 4 cycles x 2 FMA ports (Haswell to Zen 5) leaves the ports idle.
inline constexpr std::size_t min_block_rows = 4;

// m rows in register blocks of R: `full` rows in whole blocks, then up to two smaller blocks. A
// remainder under min_block_rows is merged with the last whole block and the rows split in halves
// (32 rows at R = 6 run as 6 6 6 6 4 4, not 6 6 6 6 6 2). Used at run time (gemm_rows, over the
// batch) and at compile time (the weight gradient, over K).
struct row_split {
  std::size_t full, first_half, second_half;
};
constexpr row_split split_rows(std::size_t m, std::size_t R) {
  std::size_t blocks = m / R, rest = m % R;
  if (blocks > 0 && rest > 0 && rest < min_block_rows) --blocks, rest += R;
  const std::size_t first = rest > R ? rest - rest / 2 : rest;
  return {blocks * R, first, rest - first};
}
}  // namespace rnncell::kernels

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#endif
namespace rnncell::kernels::avx2 {
// 16 ymm registers: 6 rows of 2 vectors, 12 accumulators (the classic 6 x 16 Haswell block).
inline constexpr std::size_t gemm_block_rows = 6;
inline constexpr std::size_t gradient_block_rows = 6;
// A pass's vectors: half ones (xmm, matvec_x86.hpp) where its columns fit in one, as the last
// pass at N = 50 (2 columns) and N = 100 (4) does: Zen 1 runs two xmm FMAs per cycle, one ymm.
// Such a pass of small_gemm takes 8 rows per register block: one accumulator per row, and two
// FMAs per cycle of latency 5 want 10 in flight (6 rows measured slower, 12 the same as 8). One
// Zen 1 core, 32 rows, best of 41, three interleaved runs: K = 50, N = 50 4.50-4.78 -> 4.17-4.29
// us (N = 48: 3.79-3.97), K = 100, N = 50 8.77-9.16 -> 8.10-8.39; the weight gradient (6 rows,
// its packed A's blocks), M = 896: K = 28, N = 100 122.1-122.4 -> 118.9-120.1 us.
template <class T, std::size_t Cols>
using pass_ops = std::conditional_t<Cols * sizeof(T) <= 16, half_vec_ops<T>, vec_ops<T>>;
template <class T, std::size_t Cols>
inline constexpr std::size_t pass_block_rows = std::is_same_v<pass_ops<T, Cols>, half_vec_ops<T>> ? 8 : gemm_block_rows;
// The weight gradient copies each chunk of A into its row blocks first (weight_gradient_panel.ipp).
// Reading A in place asks for a new cache line of A every 12 FMAs here, and ran at 86-104 GFLOP/s
// from one run to the next (C += A^T D, 256 x 768, M = 896, one Zen 5 core; AVX2 sgemm peak 100);
// packed it ran at 99-104 in every run (three interleaved repetitions: 98.7-102 against 86.6-89.6).
inline constexpr bool gradient_packs_a = true;
// The weight gradient's last pass, where N is not a multiple of 16, reads a zero-padded copy of
// its columns rather than loading under a mask: on Zen 1 the masked loads (vmaskmovps) made that
// pass of 2 columns at N = 50 slower than a full one of 16. K = 50, M = 896, one core, two
// interleaved runs: N = 50 172.6 -> 143.6-145.5 us with the copy and add_first (matvec_x86.hpp)
// for C's edge (N = 48: 119-120 us, N = 64: 156-157 us).
inline constexpr bool gradient_pads_tail = true;
}  // namespace rnncell::kernels::avx2
#define RNNCELL_SIMD_NS avx2
#include <rnncell/kernels/small_gemm_panel.ipp>
#include <rnncell/kernels/weight_gradient_panel.ipp>
#include <rnncell/kernels/adam_update_simd.ipp>
#include <rnncell/kernels/transpose_avx2.ipp>
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
// 32 zmm registers: 8 rows of a whole panel (2 vectors), 16 accumulators. The weight gradient
// takes 12 rows (24 accumulators): its inputs stream from L1/L2, and the larger block halves the
// broadcasts per FMA (8% faster at H = 128 and 256 on Zen 5, issue 10's note).
inline constexpr std::size_t gemm_block_rows = 8;
inline constexpr std::size_t gradient_block_rows = 12;
// Whole vectors in every pass (a pass of few columns in a narrower one was not measured here).
template <class T, std::size_t Cols>
using pass_ops = vec_ops<T>;
template <class T, std::size_t Cols>
inline constexpr std::size_t pass_block_rows = gemm_block_rows;
// Twice the FMAs per row of A: no gain from packing A measured here (within noise at 256 x 768,
// slower at 50 x 150 and 128 x 384), so it is read where it is.
inline constexpr bool gradient_packs_a = false;
// AVX-512 loads under a mask register at no extra cost, so the last pass reads D where it is (the
// copy was not measured on an AVX-512 machine).
inline constexpr bool gradient_pads_tail = false;
}  // namespace rnncell::kernels::avx512
#define RNNCELL_SIMD_NS avx512
#include <rnncell/kernels/small_gemm_panel.ipp>
#include <rnncell/kernels/weight_gradient_panel.ipp>
#include <rnncell/kernels/adam_update_simd.ipp>
#undef RNNCELL_SIMD_NS
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#endif  // RNNCELL_KERNELS_X86
