// small_gemm.hpp's pack_transposed for float on the AVX2 and AVX-512 paths, included by
// small_gemm_x86.hpp inside its AVX2 region only (AVX2 code serves both paths): the backward packs
// Wh^T and Wx^T at the start of every backward, and the portable element loop gathers each value
// from another row of w (256 x 768 in 161 us on one Zen 5 core, 2-3% of a GRU 3 x 256 train step).
// Here 8 x 8 blocks are transposed in ymm registers: 8 rows of w read front to back, 8 panel rows
// written. A copy, so the panels equal the portable path's bit for bit.
// Not a header of its own: no include guard, on purpose.

namespace rnncell::kernels::avx2 {

// dst's 8 rows (ldd apart) = the 8 columns of the 8 x 8 block at src (rows ld apart).
[[gnu::always_inline]] inline void transpose_8x8(const float* src, std::size_t ld, float* dst, std::size_t ldd) {
  __m256 r[8], t[8], s[8];
  for (std::size_t i = 0; i < 8; ++i) r[i] = _mm256_loadu_ps(src + i * ld);
  // t: rows 2i and 2i+1 interleaved (per 128-bit lane: columns 0 1 | 4 5, then 2 3 | 6 7).
  for (std::size_t i = 0; i < 4; ++i) {
    t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
  // s[c] for c < 4, s[4 + c]: column c | column c + 4, of rows 0-3 and of rows 4-7.
  for (std::size_t half = 0; half < 8; half += 4) {
    s[half + 0] = _mm256_shuffle_ps(t[half + 0], t[half + 2], _MM_SHUFFLE(1, 0, 1, 0));
    s[half + 1] = _mm256_shuffle_ps(t[half + 0], t[half + 2], _MM_SHUFFLE(3, 2, 3, 2));
    s[half + 2] = _mm256_shuffle_ps(t[half + 1], t[half + 3], _MM_SHUFFLE(1, 0, 1, 0));
    s[half + 3] = _mm256_shuffle_ps(t[half + 1], t[half + 3], _MM_SHUFFLE(3, 2, 3, 2));
  }
  for (std::size_t c = 0; c < 4; ++c) {
    _mm256_storeu_ps(dst + c * ldd, _mm256_permute2f128_ps(s[c], s[4 + c], 0x20));
    _mm256_storeu_ps(dst + (c + 4) * ldd, _mm256_permute2f128_ps(s[c], s[4 + c], 0x31));
  }
}

/// pack_transposed<K, N> (small_gemm.hpp) for float: the panels of w^T, w an N x K block with
/// leading dimension ldw. Within a panel, 8 of its rows (k) at a time, each written whole; what
/// whole 8 x 8 blocks do not cover (k from the last multiple of 8 below K, columns from the last
/// multiple of 8 below N, the zero columns past N) is the element loop's.
template <std::size_t K, std::size_t N>
[[gnu::noinline]] void pack_transposed(const float* w, std::size_t ldw, float* out) {
  constexpr std::size_t P = panel_width<float>, whole_k = K / 8 * 8, whole_columns = N / 8 * 8;
  for (std::size_t p = 0; p < padded_width<float, N> / P; ++p) {
    float* const panel = out + p * K * P;
    const std::size_t first = p * P, blocked = whole_columns > first ? std::min(P, whole_columns - first) : 0;
    for (std::size_t k = 0; k < whole_k; k += 8)
      for (std::size_t j = 0; j < blocked; j += 8) transpose_8x8(w + (first + j) * ldw + k, ldw, panel + k * P + j, P);
    const auto element = [&](std::size_t k, std::size_t j) {
      panel[k * P + j] = first + j >= N ? 0.0f : w[(first + j) * ldw + k];
    };
    if (blocked < P)
      for (std::size_t k = 0; k < whole_k; ++k)
        for (std::size_t j = blocked; j < P; ++j) element(k, j);
    for (std::size_t k = whole_k; k < K; ++k)
      for (std::size_t j = 0; j < P; ++j) element(k, j);
  }
}

}  // namespace rnncell::kernels::avx2
