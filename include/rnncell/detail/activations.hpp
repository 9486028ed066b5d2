#pragma once
// In-place activations over contiguous gate blocks, for the fused gate loops.
// For float they are branch-free polynomial and rational approximations (a few ulp from
// std::exp / std::tanh) that the compiler vectorises: libm's expf/tanhf calls keep a loop scalar,
// and so does a clamp followed by arithmetic in the same loop (under the default -ftrapping-math
// GCC will not if-convert it), hence the clamp pass on its own before the arithmetic pass.
// double (used by the gradient checks and oracle tests) keeps the exact libm functions.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace rnncell::detail {

/// exp(x) for float, x within [-87, 88]: Cephes' expf polynomial on x - n ln2, with 2^n built
/// in the exponent bits. No float-to-int conversion: a NaN input (a diverged run) must give NaN,
/// and converting NaN to int is undefined behaviour.
inline float exp_unclamped(float x) {
  // Adding 1.5 * 2^23 rounds x / ln2 to the nearest integer n and leaves n in the low mantissa
  // bits of shifted (two's complement), so 2^n is made by integer arithmetic on those bits.
  constexpr float round_shift = 12582912.0f;
  constexpr std::uint32_t round_shift_bits = 0x4B400000u;  // std::bit_cast<std::uint32_t>(1.5f * 0x1p23f)
  const float shifted = x * 1.44269504088896341f + round_shift;
  const float n = shifted - round_shift;
  const float r = (x - n * 0.693359375f) - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float e = p * r * r + r + 1.0f;
  const std::uint32_t exponent = (std::bit_cast<std::uint32_t>(shifted) - round_shift_bits + 127u) << 23;
  return e * std::bit_cast<float>(exponent);
}

/// tanh(x) for float, x within +-7.905 (where it reaches 1): the odd rational minimax
/// approximation Eigen uses.
inline float tanh_unclamped(float x) {
  const float x2 = x * x;
  float p = -2.76076847742355e-16f;
  p = p * x2 + 2.00018790482477e-13f;
  p = p * x2 + -8.60467152213735e-11f;
  p = p * x2 + 5.12229709037114e-08f;
  p = p * x2 + 1.48572235717979e-05f;
  p = p * x2 + 6.37261928875436e-04f;
  p = p * x2 + 4.89352455891786e-03f;
  float q = 1.19825839466702e-06f;
  q = q * x2 + 1.18534705686654e-04f;
  q = q * x2 + 2.26843463243900e-03f;
  q = q * x2 + 4.89352518554385e-03f;
  return x * p / q;
}

inline void clamp_inplace(float* p, std::size_t n, float lo, float hi) {
  for (std::size_t i = 0; i < n; ++i) p[i] = std::min(std::max(p[i], lo), hi);
}

/// p[i] = exp(p[i]) for i < n. For float, the arguments are clamped to [-87, 88] first (where
/// the result is a normal float): below -87 it gives exp(-87) ~ 1.6e-38 rather than 0.
template <class T>
void exp_inplace(T* p, std::size_t n) {
  if constexpr (std::is_same_v<T, float>) {
    clamp_inplace(p, n, -87.0f, 88.0f);
    for (std::size_t i = 0; i < n; ++i) p[i] = exp_unclamped(p[i]);
  } else {
    for (std::size_t i = 0; i < n; ++i) p[i] = std::exp(p[i]);
  }
}

/// p[i] = sigmoid(p[i]) for i < n.
template <class T>
void sigmoid_inplace(T* p, std::size_t n) {
  if constexpr (std::is_same_v<T, float>) {
    clamp_inplace(p, n, -88.0f, 87.0f);
    for (std::size_t i = 0; i < n; ++i) p[i] = 1.0f / (1.0f + exp_unclamped(-p[i]));
  } else {
    for (std::size_t i = 0; i < n; ++i) p[i] = T(1) / (T(1) + std::exp(-p[i]));
  }
}

/// p[i] = tanh(p[i]) for i < n.
template <class T>
void tanh_inplace(T* p, std::size_t n) {
  if constexpr (std::is_same_v<T, float>) {
    clamp_inplace(p, n, -7.90531110763549805f, 7.90531110763549805f);
    for (std::size_t i = 0; i < n; ++i) p[i] = tanh_unclamped(p[i]);
  } else {
    for (std::size_t i = 0; i < n; ++i) p[i] = std::tanh(p[i]);
  }
}

}  // namespace rnncell::detail
