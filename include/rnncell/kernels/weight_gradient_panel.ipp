// The body of the SIMD weight_gradient kernel (weight_gradient.hpp), included once per instruction
// set by small_gemm_x86.hpp inside a region compiled for that set, with RNNCELL_SIMD_NS naming the
// namespace whose vec_ops<T>, pass_ops and gradient_block_rows it uses.
// Not a header of its own: no include guard, on purpose.

namespace rnncell::kernels::RNNCELL_SIMD_NS {

// C[R rows, Cols columns] += A[m rows, R columns]^T D[m rows, Cols]: the R x 2 accumulators stay
// in registers over all m rows; D's vectors (pass_ops: on AVX2 half ones where the pass's columns
// fit in one) serve R rows of C. A pass narrower than two vectors (at the matrix's right edge)
// loads its last vector under a mask, or, where gradient_pads_tail says so, whole vectors from a
// zero-padded copy of its columns (weight_gradient); C's last columns are updated by add_first.
template <class T, std::size_t R, std::size_t Cols>
inline void gradient_block(std::size_t m, const T* a, std::size_t lda, const T* d, std::size_t ldd, T* c,
                           std::size_t ldc) {
  using O = pass_ops<T, Cols>;
  using V = typename O::vec;
  constexpr std::size_t L = O::lanes, NV = (Cols + L - 1) / L, last = Cols - (NV - 1) * L;
  V acc[R][NV];
#pragma GCC unroll 16
  for (std::size_t r = 0; r < R; ++r)
#pragma GCC unroll 2
    for (std::size_t v = 0; v < NV; ++v) acc[r][v] = O::zero();
  for (std::size_t row = 0; row < m; ++row) {
    const T* const d_row = d + row * ldd;
    V dv[NV];
#pragma GCC unroll 2
    for (std::size_t v = 0; v < NV; ++v)
      if constexpr (last == L || gradient_pads_tail)
        dv[v] = O::loadu(d_row + v * L);
      else
        dv[v] = v + 1 < NV ? O::loadu(d_row + v * L) : O::loadu(d_row + v * L, O::first(last));
#pragma GCC unroll 16
    for (std::size_t r = 0; r < R; ++r) {
      const V x = O::broadcast(a[row * lda + r]);
#pragma GCC unroll 2
      for (std::size_t v = 0; v < NV; ++v) acc[r][v] = O::fma(x, dv[v], acc[r][v]);
    }
  }
#pragma GCC unroll 16
  for (std::size_t r = 0; r < R; ++r)
#pragma GCC unroll 2
    for (std::size_t v = 0; v < NV; ++v) {
      T* const out = c + r * ldc + v * L;
      if (v + 1 < NV || last == L)
        O::storeu(out, O::add(O::loadu(out), acc[r][v]));
      else
        add_first<last, O>(out, acc[r][v]);
    }
}

// C's K rows in register blocks of R = gradient_block_rows, as split_rows (small_gemm_x86.hpp)
// cuts them.
template <std::size_t K>
struct gradient_row_blocks {
  static constexpr std::size_t R = gradient_block_rows;
  static constexpr row_split split = split_rows(K, R);
  static constexpr std::size_t full = split.full, first_half = split.first_half, second_half = split.second_half;
};

// All K rows of C for one pass of Cols columns, block by block. A is either the caller's (row
// stride lda; the block of C's rows c0.. reads A's columns c0..) or a chunk packed by
// pack_row_blocks (that block's m rows at a + c0 * m, its width apart).
template <class T, std::size_t K, std::size_t Cols, bool Packed>
inline void gradient_rows(std::size_t m, const T* a, std::size_t lda, const T* d, std::size_t ldd, T* c,
                          std::size_t ldc) {
  using blocks = gradient_row_blocks<K>;
  constexpr std::size_t R = blocks::R, full = blocks::full, first = blocks::first_half, second = blocks::second_half;
  const auto block_a = [&](std::size_t c0) { return Packed ? a + c0 * m : a + c0; };
  for (std::size_t i = 0; i < full; i += R)
    gradient_block<T, R, Cols>(m, block_a(i), Packed ? R : lda, d, ldd, c + i * ldc, ldc);
  if constexpr (first > 0)
    gradient_block<T, first, Cols>(m, block_a(full), Packed ? first : lda, d, ldd, c + full * ldc, ldc);
  if constexpr (second > 0)
    gradient_block<T, second, Cols>(m, block_a(full + first), Packed ? second : lda, d, ldd,
                                    c + (full + first) * ldc, ldc);
}

// out[row * ldo + r] = a[row * lda + r]: one block of W columns of A, its m rows one after the
// other (ldo = W), or ldo apart (the weight gradient's zero-padded last pass).
template <std::size_t W, class T>
inline void pack_block_columns(std::size_t m, const T* a, std::size_t lda, T* out, std::size_t ldo = W) {
  for (std::size_t row = 0; row < m; ++row)
    for (std::size_t r = 0; r < W; ++r) out[row * ldo + r] = a[row * lda + r];
}

// The m x K chunk of A (row stride lda) as gradient_rows<Packed = true> reads it.
template <class T, std::size_t K>
inline void pack_row_blocks(std::size_t m, const T* a, std::size_t lda, T* out) {
  using blocks = gradient_row_blocks<K>;
  constexpr std::size_t R = blocks::R, full = blocks::full, first = blocks::first_half, second = blocks::second_half;
  for (std::size_t i = 0; i < full; i += R) pack_block_columns<R>(m, a + i, lda, out + i * m);
  if constexpr (first > 0) pack_block_columns<first>(m, a + full, lda, out + full * m);
  if constexpr (second > 0) pack_block_columns<second>(m, a + full + first, lda, out + (full + first) * m);
}

/// C (K x N, stride ldc) += A^T D, A (m x K, stride lda), D (m x N, stride ldd): rows in chunks
/// whose two-vector column passes of D (chunk x 128 bytes) stay in L1 while C's row blocks sweep
/// them. Where D's rows lie a multiple of 512 bytes apart, a pass's rows would share so few L1 sets
/// (one set at 4 KB: N = 1024, an LSTM's 4H at H = 256) that they evict each other, so each pass
/// of a chunk is first copied into a contiguous buffer on the stack (16 KB at most). One Xeon core
/// (AVX-512, M = 896, interleaved x 3): K = 256, N = 1024 110-119 -> 136-145 GFLOP/s, N = 256
/// 140-148 -> 153-160, K = 28, N = 1024 82-96 -> 104-112; at strides that spread over the sets
/// (N = 150, 192) and small K the copy cost 4-15% (K = 28, N = 150; K = 64, N = 192), so there D
/// is read in place. Where gradient_packs_a says so (small_gemm_x86.hpp), each chunk of A is first
/// copied into a buffer on the stack (64 KB at most: fewer rows per chunk where K is wide), so that
/// a block's broadcasts read one contiguous stream rather than a cache line, often on a new page,
/// per row. The copies change where values are read, not the sums or their order.
/// Where N is not a multiple of two vectors (N = 50, 100, 150 at H = 50) and gradient_pads_tail
/// says so, the last pass's columns are copied, chunk by chunk, into a zero-padded buffer on the
/// stack (8 KB at most) that gradient_block reads in whole vectors.
/// noinline: a loop that kernels::dispatch flattens calls it rather than copying it in.
template <class T, std::size_t K, std::size_t N>
[[gnu::noinline]] void weight_gradient(std::size_t m, const T* a, std::size_t lda, const T* d, std::size_t ldd, T* c,
                                       std::size_t ldc) {
  constexpr std::size_t pass = 2 * vec_ops<T>::lanes, full = N / pass, rest = N % pass;
  // A packed chunk holds 16 rows at least: a wider A (K > 1024 floats) is read where it is. Its
  // rows are a power of two, so that chunks divide gradient_chunk_rows (small_gemm_x86.hpp).
  constexpr std::size_t packed_values = 65536 / sizeof(T);
  constexpr bool packs = gradient_packs_a && 16 * K <= packed_values;
  constexpr std::size_t chunk =
      packs && packed_values / K < gradient_chunk_rows ? std::bit_floor(packed_values / K) : gradient_chunk_rows;
  alignas(64) T packed[packs ? chunk * K : 1];
  alignas(64) T d_pass[full > 0 ? chunk * pass : 1];
  const bool copies_d = ldd * sizeof(T) % 512 == 0;
  // The last pass's columns, row after row at tail_stride (whole vectors); the lanes past `rest`
  // stay zero.
  constexpr bool pads = gradient_pads_tail && rest > 0;
  constexpr std::size_t lanes = pass_ops<T, rest>::lanes, tail_stride = (rest + lanes - 1) / lanes * lanes;
  alignas(64) T tail[pads ? chunk * tail_stride : 1] = {};
  for (std::size_t first_row = 0; first_row < m; first_row += chunk) {
    const std::size_t rows = m - first_row < chunk ? m - first_row : chunk;
    const T* a_chunk = a + first_row * lda;
    const T* const d_chunk = d + first_row * ldd;
    if constexpr (packs) {
      pack_row_blocks<T, K>(rows, a_chunk, lda, packed);
      a_chunk = packed;
    }
    for (std::size_t q = 0; q < full; ++q) {
      if (copies_d) {
        pack_block_columns<pass>(rows, d_chunk + q * pass, ldd, d_pass);
        gradient_rows<T, K, pass, packs>(rows, a_chunk, lda, d_pass, pass, c + q * pass, ldc);
      } else {
        gradient_rows<T, K, pass, packs>(rows, a_chunk, lda, d_chunk + q * pass, ldd, c + q * pass, ldc);
      }
    }
    if constexpr (pads) {
      pack_block_columns<rest>(rows, d_chunk + full * pass, ldd, tail, tail_stride);
      gradient_rows<T, K, rest, packs>(rows, a_chunk, lda, tail, tail_stride, c + full * pass, ldc);
    } else if constexpr (rest > 0) {
      gradient_rows<T, K, rest, packs>(rows, a_chunk, lda, d_chunk + full * pass, ldd, c + full * pass, ldc);
    }
  }
}

}  // namespace rnncell::kernels::RNNCELL_SIMD_NS
