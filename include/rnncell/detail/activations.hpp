#pragma once
// Activations for the fused gate loops. For float they are branch-free polynomial and rational
// approximations (a few ulp from std::exp / std::tanh) that the compiler vectorises; calls to
// libm's expf/tanhf keep a gate loop scalar, and the gate math then costs as much as the GEMMs.
// double (used by the gradient checks and oracle tests) keeps the exact libm functions.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <type_traits>

namespace rnncell::detail {

/// exp(x) for float: Cephes' expf polynomial on x - n ln2, 2^n built in the exponent bits.
inline float exp_approx(float x) {
  x = std::min(std::max(x, -87.0f), 88.0f);
  // Round x / ln2 to nearest by adding and subtracting 1.5 * 2^23 (no libm call).
  const float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
  const float r = (x - n * 0.693359375f) - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float e = p * r * r + r + 1.0f;
  return e * std::bit_cast<float>((std::int32_t(n) + 127) << 23);
}

/// tanh(x) for float: the odd rational minimax approximation Eigen uses, clamped where it is 1.
inline float tanh_approx(float x) {
  x = std::min(std::max(x, -7.90531110763549805f), 7.90531110763549805f);
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

template <class T>
inline T sigmoid(T x) {
  if constexpr (std::is_same_v<T, float>)
    return 1.0f / (1.0f + exp_approx(-x));
  else
    return T(1) / (T(1) + std::exp(-x));
}

template <class T>
inline T tanh(T x) {
  if constexpr (std::is_same_v<T, float>)
    return tanh_approx(x);
  else
    return std::tanh(x);
}

}  // namespace rnncell::detail
