// The fused gate rows for float, included once per instruction set by matvec_x86.hpp as
// simd_panel.ipp is (RNNCELL_SIMD_NS names the namespace, whose gate_ops<Hp> is the vec_ops of the
// widest vector that divides the gate stride Hp): GRU reset_after's row, GRU reset_before's and
// MGU's two rows (before and after the candidate's product), LSTM's row.
// gate_rows.hpp's rows make several passes over the row (gru_reset_after_row six: add, clamp,
// sigmoid, add, clamp + tanh, update), each a loop whose count the compiler must not see (see
// opaque_count): at H = 8 to 32 their loop overhead and scalar remainders were most of a step.
// Here one pass of whole vectors does it all, unrolled at compile time, each value loaded once;
// the activations are detail/activations.hpp's, the same operations in the same order, written as
// separate multiplies and adds. GCC fuses some of those into FMAs here (its C++ default is
// -ffp-contract=fast under -std=c++20 too: 392 FMAs in avx512::lstm_rows<128>, GCC 12), where the
// portable path of a default build has no FMA to fuse into; clang (-ffp-contract=on) fuses none
// across the intrinsics. So the paths agree to rounding (tests/test_float_paths.cpp: 1e-5), not
// bit for bit. Not forced either way: that would change the bits of the published grid's runs.
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

// min(max(v, lo), hi) with a NaN passed through, as std::min(std::max(v, lo), hi) does. Only
// when some lane is out of range: the test runs beside the activation, where the clamp's max and
// min (8 cycles' latency) would stand at the head of every activation in a streaming step's chain
// of dependent operations (the matrix-vector product, sigmoid, c', tanh(c'), h'). Same values
// either way. Measured (Xeon, AVX-512, -march=native, one process, Google Benchmark random
// interleaving, medians of 10): an LSTM stream step at In 1, H 16 59.7 -> 57.3 ns, H 8 48.2 ->
// 45.3, GRU reset_after In 1, H 16 59.2 -> 54.9; an LSTM train step 3 x 128 unchanged (10.5 ->
// 10.4 ms).
template <class O>
inline typename O::vec clamp(typename O::vec v, float lo, float hi) {
  if (O::any_outside(v, lo, hi)) [[unlikely]]
    return O::min(O::broadcast(hi), O::max(O::broadcast(lo), v));
  return v;
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


// The columns [j, j + Count) of a row, Count at most O::lanes: whole vectors, or the row's last
// Count < lanes columns through load_first / store_first (never past the row's end).
template <class O, std::size_t Count>
struct row_columns {
  std::size_t j;
  typename O::vec load(const float* p) const {
    if constexpr (Count == O::lanes)
      return O::loadu(p + j);
    else
      return load_first<Count, O>(p + j);
  }
  void store(float* p, typename O::vec v) const {
    if constexpr (Count == O::lanes)
      O::storeu(p + j, v);
    else
      store_first<Count, O>(p + j, v);
  }
};

// Calls f(row_columns<O, lanes>{j}) for every whole vector of the first H columns, then
// f(row_columns<O, H % lanes>{...}) for the rest, if any.
template <class O, std::size_t H, class F>
inline void for_each_vector(F&& f) {
  constexpr std::size_t L = O::lanes, whole = H / L * L;
#pragma GCC unroll 16
  for (std::size_t j = 0; j < whole; j += L) f(row_columns<O, L>{j});
  if constexpr (whole < H) f(row_columns<O, H - whole>{whole});
}

/// gate_rows.hpp's sigmoid_gates_row over Sigmoids gate blocks, then gated_state_row, in one
/// pass: the gate blocks of g (stride Hp) become sigmoid(g + rec), and gated_h = s * h for the
/// last of them, s (r for GRU reset_before, f for MGU). h and gated_h are H wide.
template <std::size_t Sigmoids, std::size_t H, std::size_t Hp>
inline void gated_sigmoid_row(float* g, const float* rec, const float* h, float* gated_h) {
  using O = gate_ops<Hp>;
  for_each_vector<O, H>([&](auto c) {
    typename O::vec s{};
#pragma GCC unroll 4
    for (std::size_t k = 0; k < Sigmoids; ++k) {
      // Within a gate block the padding columns past H hold zeros: whole loads read them.
      s = gates::sigmoid<O>(O::add(O::loadu(g + k * Hp + c.j), O::loadu(rec + k * Hp + c.j)));
      O::storeu(g + k * Hp + c.j, s);
    }
    c.store(gated_h, O::mul(s, c.load(h)));
  });
}

/// gate_rows.hpp's candidate_row<H, Hp> in one pass: n = tanh(n_in + n_rec), h = h + z * (n - h).
template <std::size_t H, std::size_t Hp>
inline void candidate_row(float* n_in, const float* n_rec, const float* z, float* h) {
  using O = gate_ops<Hp>;
  for_each_vector<O, H>([&](auto c) {
    const typename O::vec n = gates::tanh<O>(O::add(O::loadu(n_in + c.j), O::loadu(n_rec + c.j)));
    const typename O::vec hv = c.load(h);
    c.store(h, O::add(hv, O::mul(O::loadu(z + c.j), O::sub(n, hv))));
  });
}

/// gate_rows.hpp's lstm_row<H, Stride> in one pass over vectors of O: the gate blocks
/// [i | f | g | o] of a at stride Stride, plus add (if not null), through their activations;
/// c' = f * c + i * g, h' = o * tanh(c'). With KeepGates, i, f, g, o go back into a (the training
/// forward keeps them for backward); tanh(c') goes to tanh_c if not null.
template <std::size_t H, std::size_t Stride, class O, bool KeepGates>
inline void lstm_row(float* a, const float* add, const float* c_prev, float* h, float* c, float* tanh_c) {
  using V = typename O::vec;
  for_each_vector<O, H>([&](auto cols) {
    // A gate block padded to whole vectors (the streaming layers') is read in whole vectors; one
    // of H columns side by side (the training path's) ends at the next block or the row's end.
    const auto load_gate = [&](const float* p) {
      if constexpr (Stride % O::lanes == 0)
        return O::loadu(p + cols.j);
      else
        return cols.load(p);
    };
    V pre[4];
#pragma GCC unroll 4
    for (std::size_t k = 0; k < 4; ++k) {
      pre[k] = load_gate(a + k * Stride);
      if (add != nullptr) pre[k] = O::add(pre[k], load_gate(add + k * Stride));
    }
    const V i = gates::sigmoid<O>(pre[0]), f = gates::sigmoid<O>(pre[1]), g = gates::tanh<O>(pre[2]),
            o = gates::sigmoid<O>(pre[3]);
    if constexpr (KeepGates) {
      cols.store(a, i);
      cols.store(a + Stride, f);
      cols.store(a + 2 * Stride, g);
      cols.store(a + 3 * Stride, o);
    }
    // c' = f * c + i * g;  h' = o * tanh(c')
    const V c_next = O::add(O::mul(f, cols.load(c_prev)), O::mul(i, g));
    cols.store(c, c_next);
    const V tanh_c_next = gates::tanh<O>(c_next);
    if (tanh_c != nullptr) cols.store(tanh_c, tanh_c_next);
    cols.store(h, O::mul(o, tanh_c_next));
  });
}

/// The training forward's LSTM gate math over a step's rows (kernels/lstm_rows.hpp): lstm_row on
/// each row of gates (B, 4H) with the bias b added, state_prev and state (B, 2H) rows [h | c],
/// tanh(c') kept in tanh_c (B, H). Whole vectors of this instruction set, masked or spilled at the
/// row's end. noinline: a step loop that kernels::dispatch flattens calls it, as it calls
/// small_gemm.
template <std::size_t H>
[[gnu::noinline]] void lstm_rows(::rnncell::detail::matrix_ref<float> gates, const float* b,
                                 ::rnncell::detail::matrix_ref<const float> state_prev,
                                 ::rnncell::detail::matrix_ref<float> state, ::rnncell::detail::matrix_ref<float> tanh_c) {
  for (std::size_t r = 0; r < gates.rows; ++r)
    lstm_row<H, H, vec_ops<float>, true>(gates.row(r), b, state_prev.row(r) + H, state.row(r), state.row(r) + H,
                                         tanh_c.row(r));
}

/// gate_rows.hpp's lstm_backward_row<H> in one pass of vectors of O, the same operations in the
/// same order; d may be gates, as there (a column's four gates are loaded before its gradients
/// are stored).
template <std::size_t H, class O>
inline void lstm_backward_row(const float* gates, const float* c, const float* tanh_c, const float* dh, float* d,
                              float* dc) {
  using V = typename O::vec;
  for_each_vector<O, H>([&](auto cols) {
    const V i = cols.load(gates), f = cols.load(gates + H), g = cols.load(gates + 2 * H),
            o = cols.load(gates + 3 * H), t = cols.load(tanh_c), dh_next = cols.load(dh);
    const V one = O::broadcast(1.0f);
    // e = dL/dc' + dL/dh' * o * (1 - tanh(c')^2)
    const V e = O::add(cols.load(dh + H), O::mul(O::mul(dh_next, o), O::sub(one, O::mul(t, t))));
    cols.store(d, O::mul(O::mul(O::mul(e, g), i), O::sub(one, i)));
    cols.store(d + H, O::mul(O::mul(O::mul(e, cols.load(c)), f), O::sub(one, f)));
    cols.store(d + 2 * H, O::mul(O::mul(e, i), O::sub(one, O::mul(g, g))));
    cols.store(d + 3 * H, O::mul(O::mul(O::mul(dh_next, t), o), O::sub(one, o)));
    cols.store(dc, O::mul(e, f));
  });
}

/// The training backward's LSTM gate math over a step's rows (kernels/lstm_rows.hpp):
/// lstm_backward_row on each row. noinline, as lstm_rows.
template <std::size_t H>
[[gnu::noinline]] void lstm_backward_rows(::rnncell::detail::matrix_ref<const float> gates,
                                          ::rnncell::detail::matrix_ref<const float> tanh_c,
                                          ::rnncell::detail::matrix_ref<const float> state_prev,
                                          ::rnncell::detail::matrix_ref<const float> dh, ::rnncell::detail::matrix_ref<float> d,
                                          ::rnncell::detail::matrix_ref<float> dh_prev) {
  for (std::size_t r = 0; r < gates.rows; ++r)
    lstm_backward_row<H, vec_ops<float>>(gates.row(r), state_prev.row(r) + H, tanh_c.row(r), dh.row(r), d.row(r),
                                         dh_prev.row(r) + H);
}

}  // namespace rnncell::kernels::RNNCELL_SIMD_NS
