#pragma once
// Dropout masks (inverted dropout, Srivastava et al. 2014): a kept value is scaled by 1 / (1 - p)
// during training so that inference, which drops nothing, needs no rescaling. A mask holds the
// factor itself, 0 or 1 / (1 - p), so that applying it is one multiplication.
//
// The draw (documented: a run is reproducible from the model's seed): row-major, four elements
// per 64-bit output of the generator, its 16-bit quarters from the lowest up (a count that is not
// a multiple of four ends with the low quarters of one more output); an element is dropped when its
// 16 bits, as an integer, are below floor(p * 2^16): p to within 2^-16.
#include <rnncell/detail/matrix_ref.hpp>
#include <rnncell/random.hpp>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <sstream>
#include <string>
#include <type_traits>

namespace rnncell::detail {

/// Throws std::invalid_argument naming the rate unless 0 <= p < 1 (p = 1 would drop everything
/// and scale by infinity; NaN is refused too).
/// @param p the rate.
/// @param name what the user set, e.g. "recurrent_dropout".
inline void check_dropout_rate(double p, const char* name) {
  if (p >= 0 && p < 1) return;
  std::ostringstream message;
  message << "rnncell: " << name << " must be in [0, 1), got " << p;
  throw std::invalid_argument(message.str());
}

/// Fills n mask values for rate p from g: 0 with probability floor(p * 2^16) / 2^16, else
/// 1 / (1 - p); the draw is the one described at the top of this file.
/// @param out n values, written.
/// @param n how many.
/// @param p the rate, in [0, 1).
/// @param g the generator, advanced by ceil(n / 4) outputs.
template <class T>
void draw_dropout_mask(T* out, std::size_t n, double p, rng& g) {
  // 16 bits per element and no branch (the kept factor's bits and-ed with an all-ones or zero
  // word): a branch on a random bit mispredicts about p of the time. Measured on a 2 x 128 GRU
  // train step with dropout between the layers, where T * B * H values are drawn per layer: one
  // uniform01() per element and a branch 4-5 ns a value, 16 bits with a branch 2.2 ns.
  // The generator's outputs a block at a time, then their 16-bit quarters as an array: in
  // memory order on a little-endian machine, lowest quarter first, and a loop over an array
  // vectorises where quarter-by-quarter shifts of one output did not. Standalone, 114,688 values
  // (Intel Xeon, family 6 model 207): 0.8-1.3 ns a value as four shifts per output; as blocks
  // 0.27 on the AVX-512 path (about the generator's own speed), 0.8 on AVX2 and portable. The
  // callers run it on the active kernel path.
  static_assert(std::endian::native == std::endian::little, "the quarters' order assumes a little-endian machine");
  using word = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
  const word keep = std::bit_cast<word>(T(1.0 / (1.0 - p)));
  const std::uint16_t threshold = std::uint16_t(p * 65536.0);  // p < 1: below 2^16
  constexpr std::size_t block_outputs = 8, block = 4 * block_outputs;
  std::uint64_t outputs[block_outputs] = {};
  std::uint16_t quarters[block];
  const auto convert = [&](T* to, std::size_t count) {  // count a constant in the main loop
    std::memcpy(quarters, outputs, sizeof outputs);
    for (std::size_t i = 0; i < count; ++i) to[i] = std::bit_cast<T>(keep & (word(0) - word(quarters[i] >= threshold)));
  };
  rng local = g;  // a copy the stores to out cannot alias: its state stays in registers (AVX2: 1.05 -> 0.78 ns)
  std::size_t k = 0;
  for (; k + block <= n; k += block) {
    for (std::uint64_t& output : outputs) output = local.next_u64();
    convert(out + k, block);
  }
  if (k < n) {  // the last block draws only the outputs it uses
    for (std::size_t i = 0; i < (n - k + 3) / 4; ++i) outputs[i] = local.next_u64();
    convert(out + k, n - k);
  }
  g = local;
}

/// dst = src * mask, row i of the product taking mask row i % mask.rows: a per-sequence mask
/// (B rows) over the T*B rows of a time-major matrix, or a mask of as many rows as src.
/// @param dst (rows, cols), written.
/// @param src (rows, cols).
/// @param mask (B, cols), rows a divisor of src's.
template <class T>
void multiply_by_mask(matrix_ref<T> dst, std::type_identity_t<matrix_ref<const T>> src,
                      std::type_identity_t<matrix_ref<const T>> mask) {
  for (std::size_t i = 0, mask_row = 0; i < src.rows; ++i) {
    const T* const s = src.row(i);
    const T* const m = mask.row(mask_row);
    T* const d = dst.row(i);
    for (std::size_t j = 0; j < src.cols; ++j) d[j] = s[j] * m[j];
    if (++mask_row == mask.rows) mask_row = 0;  // i % mask.rows without a division per row
  }
}

/// dst += src * mask row by row (dst, src and mask all (B, cols)): the recurrent side's dL/dh,
/// which reached h through the recurrent mask, added to the direct side's.
/// @param dst (B, cols), accumulated.
/// @param src (B, cols).
/// @param mask (B, cols).
template <class T>
void add_masked(matrix_ref<T> dst, std::type_identity_t<matrix_ref<const T>> src,
                std::type_identity_t<matrix_ref<const T>> mask) {
  for (std::size_t i = 0; i < dst.rows; ++i) {
    const T* const s = src.row(i);
    const T* const m = mask.row(i);
    T* const d = dst.row(i);
    for (std::size_t j = 0; j < dst.cols; ++j) d[j] += s[j] * m[j];
  }
}

/// Where a cell's step_backward collects dL/dh_r, the gradient that reached h through the
/// recurrent products (h_r = h * mask): dh_prev's h block itself when no mask applies (the code
/// without dropout, bit for bit), else spare, zeroed, which finish_recurrent_gradient then adds
/// into dh_prev times the mask.
/// @param dh dh_prev's h block (B, H).
/// @param mask the recurrent mask (B, H), or empty.
/// @param spare (B, H) of the cell's scratch.
/// @return the view to accumulate dL/dh_r into.
template <class T>
matrix_ref<T> recurrent_gradient_sink(matrix_ref<T> dh, std::type_identity_t<matrix_ref<const T>> mask,
                                      matrix_ref<T> spare) {
  if (mask.empty()) return dh;
  for (std::size_t i = 0; i < spare.rows; ++i) std::fill(spare.row(i), spare.row(i) + spare.cols, T(0));
  return spare;
}

/// dh += mask * sink when a mask applies (sink being recurrent_gradient_sink's spare); nothing
/// otherwise (the sink was dh).
/// @param dh dh_prev's h block (B, H).
/// @param mask the recurrent mask (B, H), or empty.
/// @param sink what recurrent_gradient_sink returned, filled with dL/dh_r.
template <class T>
void finish_recurrent_gradient(matrix_ref<T> dh, std::type_identity_t<matrix_ref<const T>> mask,
                               std::type_identity_t<matrix_ref<const T>> sink) {
  if (!mask.empty()) add_masked(dh, sink, mask);
}

}  // namespace rnncell::detail
