// The fused gate row of a GRU reset_after step for float, included once per instruction set by
// matvec_x86.hpp as simd_panel.ipp is (RNNCELL_SIMD_NS names the namespace, whose gate_ops<Hp>
// is the vec_ops of the widest vector that divides the gate stride Hp).
// gate_rows.hpp's gru_reset_after_row makes six passes over the row (add, clamp, sigmoid, add,
// clamp + tanh, update), each a loop whose count the compiler must not see (see opaque_count):
// at H = 8 to 32 their loop overhead and scalar remainders were most of a step. Here one pass of
// whole vectors does it all, unrolled at compile time, each value loaded once; the activations
// are detail/activations.hpp's, the same operations in the same order (no FMA contraction), so
// the values equal the portable path's.
// Not a header of its own: no include guard, on purpose.

namespace rnncell::kernels::RNNCELL_SIMD_NS {

namespace gates {

// detail::exp_unclamped on a vector.
template <class O>
inline typename O::vec exp_unclamped(typename O::vec x) {
  using V = typename O::vec;
  const V round_shift = O::broadcast(12582912.0f);
  const V shifted = O::add(O::mul(x, O::broadcast(1.44269504088896341f)), round_shift);
  const V n = O::sub(shifted, round_shift);
  const V r = O::sub(O::sub(x, O::mul(n, O::broadcast(0.693359375f))), O::mul(n, O::broadcast(-2.12194440e-4f)));
  V p = O::broadcast(1.9875691500e-4f);
  for (const float c : {1.3981999507e-3f, 8.3334519073e-3f, 4.1665795894e-2f, 1.6666665459e-1f, 5.0000001201e-1f})
    p = O::add(O::mul(p, r), O::broadcast(c));
  const V e = O::add(O::add(O::mul(O::mul(p, r), r), r), O::broadcast(1.0f));
  return O::mul(e, O::pow2_from_shifted(shifted));
}

// min(max(v, lo), hi) with a NaN passed through, as std::min(std::max(v, lo), hi) does.
template <class O>
inline typename O::vec clamp(typename O::vec v, float lo, float hi) {
  return O::min(O::broadcast(hi), O::max(O::broadcast(lo), v));
}

// detail::sigmoid_inplace on a vector: 1 / (1 + exp(-a)), a clamped to [-88, 87].
template <class O>
inline typename O::vec sigmoid(typename O::vec a) {
  const typename O::vec one = O::broadcast(1.0f);
  return O::div(one, O::add(one, exp_unclamped<O>(O::sub(O::zero(), clamp<O>(a, -88.0f, 87.0f)))));
}

// detail::tanh_inplace on a vector: x p(x^2) / q(x^2), x clamped to +-7.9053111.
template <class O>
inline typename O::vec tanh(typename O::vec a) {
  using V = typename O::vec;
  const V x = clamp<O>(a, -7.90531110763549805f, 7.90531110763549805f), x2 = O::mul(x, x);
  V p = O::broadcast(-2.76076847742355e-16f);
  for (const float c : {2.00018790482477e-13f, -8.60467152213735e-11f, 5.12229709037114e-08f, 1.48572235717979e-05f,
                        6.37261928875436e-04f, 4.89352455891786e-03f})
    p = O::add(O::mul(p, x2), O::broadcast(c));
  V q = O::broadcast(1.19825839466702e-06f);
  for (const float c : {1.18534705686654e-04f, 2.26843463243900e-03f, 4.89352518554385e-03f})
    q = O::add(O::mul(q, x2), O::broadcast(c));
  return O::div(O::mul(x, p), q);
}

}  // namespace gates

/// gate_rows.hpp's gru_reset_after_row<H, Hp> for float in one pass: g (blocks z, r, n at stride
/// Hp) and rec as there; h's H values updated in place (its tail vector masked).
template <std::size_t H, std::size_t Hp>
inline void gru_reset_after_row(float* g, const float* rec, float* h) {
  using O = gate_ops<Hp>;
  using V = typename O::vec;
  constexpr std::size_t L = O::lanes;
  static_assert(Hp % L == 0 && Hp - H < L, "rnncell: the gate stride is whole vectors, and H fills the last one");
#pragma GCC unroll 16
  for (std::size_t j = 0; j < Hp; j += L) {
    // z, r = sigmoid(g + rec);  n = tanh(g_n + r * rec_n);  h = h + z * (n - h)
    const V z = gates::sigmoid<O>(O::add(O::loadu(g + j), O::loadu(rec + j)));
    const V r = gates::sigmoid<O>(O::add(O::loadu(g + Hp + j), O::loadu(rec + Hp + j)));
    const V n = gates::tanh<O>(O::add(O::loadu(g + 2 * Hp + j), O::mul(r, O::loadu(rec + 2 * Hp + j))));
    if (j + L <= H) {
      const V hv = O::loadu(h + j);
      O::storeu(h + j, O::add(hv, O::mul(z, O::sub(n, hv))));
    } else {
      const typename O::mask m = O::first(H - j);
      const V hv = O::loadu(h + j, m);
      O::storeu(h + j, O::add(hv, O::mul(z, O::sub(n, hv))), m);
    }
  }
}

}  // namespace rnncell::kernels::RNNCELL_SIMD_NS
