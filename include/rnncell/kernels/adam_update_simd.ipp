// The body of the SIMD adam_update kernel (adam_update.hpp) for float, included once per
// instruction set by small_gemm_x86.hpp inside a region compiled for that set, with
// RNNCELL_SIMD_NS naming the namespace whose vec_ops<float> it uses. The portable loop's operations
// with the moments' sums as explicit FMAs (as the compiler may contract them anyway, GCC under
// -std=gnu++20: explicit, the result does not depend on the flags), so an entry may differ from the
// portable loop's in its last bit; the vector sqrt and divide are correctly rounded, as sqrtss is.
// Not a header of its own: no include guard, on purpose.

namespace rnncell::kernels::RNNCELL_SIMD_NS {

// The update of the vector of entries at p, m, v, gradient: whole, or the first lanes of tail
// (Masked), loaded and stored through simd_panel.ipp's load_columns / store_columns.
template <bool Masked, class Constants>
inline void adam_update_vector(float* p, float* m, float* v, const float* gradient,
                               typename vec_ops<float>::mask tail, const Constants& c) {
  using O = vec_ops<float>;
  using V = typename O::vec;
  // NaN passes the clamp: vec_ops' max / min return their second operand where either is NaN.
  const V scaled = O::mul(load_columns<float, Masked>(gradient, tail), O::broadcast(c.grad_scale));
  const V g = O::min(O::broadcast(c.grad_limit), O::max(O::broadcast(-c.grad_limit), scaled));
  const V m_old = load_columns<float, Masked>(m, tail), v_old = load_columns<float, Masked>(v, tail);
  const V m_new = O::fma(O::broadcast(c.beta1), m_old, O::mul(O::broadcast(1 - c.beta1), g));
  const V v_new = O::fma(O::broadcast(c.beta2), v_old, O::mul(O::mul(O::broadcast(1 - c.beta2), g), g));
  const V step = O::div(O::mul(O::broadcast(c.step_size), m_new), O::add(O::sqrt(v_new), O::broadcast(c.epsilon)));
  store_columns<float, Masked>(m, m_new, tail);
  store_columns<float, Masked>(v, v_new, tail);
  store_columns<float, Masked>(p, O::sub(load_columns<float, Masked>(p, tail), step), tail);
}

/// adam_update.hpp's update of n entries (Constants: its adam_constants<float>, a template here
/// because this body is compiled before that header defines it). c by value: a local copy no
/// store through p, m or v can alias, so its broadcasts stay out of the loop.
template <class Constants>
inline void adam_update(float* p, float* m, float* v, const float* gradient, std::size_t n, const Constants c) {
  constexpr std::size_t L = vec_ops<float>::lanes;
  std::size_t i = 0;
  for (; i + L <= n; i += L)
    adam_update_vector<false>(p + i, m + i, v + i, gradient + i, vec_ops<float>::first(L), c);
  if (i < n) adam_update_vector<true>(p + i, m + i, v + i, gradient + i, vec_ops<float>::first(n - i), c);
}

}  // namespace rnncell::kernels::RNNCELL_SIMD_NS
