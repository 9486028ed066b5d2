#pragma once
// One Adam update of n parameter entries from their gradients, clipping included (adam.hpp has
// the optimizer and the two styles; both reach this form):
//   g  = clamp(gradient * grad_scale, -grad_limit, grad_limit)   (no clipping: scale 1, limit inf)
//   m  = beta1 * m + (1 - beta1) * g
//   v  = beta2 * v + (1 - beta2) * g^2
//   p -= step_size * m / (sqrt(v) + epsilon)
// A NaN gradient stays NaN through the clamp, so a diverged step stays visible in p.
// Why a kernel: the compiler cannot vectorise std::sqrt while it may set errno (GCC's default
// -fmath-errno), so the plain loop ran one scalar sqrt and divide per entry: 5-6% of a train step
// (issue 10's profile). The x86 paths use the vector sqrt (correctly rounded, as sqrtss is) in
// adam_update_simd.ipp, compiled per instruction set by small_gemm_x86.hpp; float only, as for the
// step loops (double is the gradient checks' type and runs the portable loop).
#include <rnncell/kernels/isa.hpp>
#include <rnncell/kernels/small_gemm_x86.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <type_traits>

namespace rnncell::kernels {

/// The per-step constants of adam_update, in the parameters' type.
template <class T>
struct adam_constants {
  T beta1, beta2;  ///< the moments' decays
  T step_size;     ///< lr with the bias corrections folded in (adam.hpp)
  T epsilon;       ///< added to sqrt(v)
  T grad_scale;    ///< the global-norm clipping's factor (1: none)
  T grad_limit;    ///< the value clipping's bound (infinity: none)
};

namespace portable {
template <class T>
inline void adam_update(T* p, T* m, T* v, const T* gradient, std::size_t n, const adam_constants<T>& c) {
  const T one_minus_beta1 = 1 - c.beta1, one_minus_beta2 = 1 - c.beta2;
  for (std::size_t i = 0; i < n; ++i) {
    // std::max(NaN, lo) and std::min(NaN, hi) return the NaN, as the vector max / min below do.
    const T g = std::min(std::max(gradient[i] * c.grad_scale, -c.grad_limit), c.grad_limit);
    m[i] = c.beta1 * m[i] + one_minus_beta1 * g;
    v[i] = c.beta2 * v[i] + one_minus_beta2 * g * g;
    p[i] -= c.step_size * m[i] / (std::sqrt(v[i]) + c.epsilon);
  }
}
}  // namespace portable

/// The update above over n entries, on path `path` for float (which must be supported: take it
/// from active_isa()); double runs the portable loop.
/// @param p the parameters, updated in place.
/// @param m the first moments, updated in place.
/// @param v the second moments, updated in place.
/// @param gradient the gradients, read only.
/// @param n how many entries.
/// @param c this step's constants.
template <class T>
void adam_update(isa path, T* p, T* m, T* v, const T* gradient, std::size_t n, const adam_constants<T>& c) {
#if RNNCELL_KERNELS_X86
  if constexpr (std::is_same_v<T, float>) {
    if (path == isa::avx512) return avx512::adam_update(p, m, v, gradient, n, c);
    if (path == isa::avx2) return avx2::adam_update(p, m, v, gradient, n, c);
  }
#endif
  (void)path;
  portable::adam_update(p, m, v, gradient, n, c);
}

}  // namespace rnncell::kernels
