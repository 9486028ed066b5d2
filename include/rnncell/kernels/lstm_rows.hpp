#pragma once
// The LSTM gate math after a step's products (lstm.hpp's forward equations), on one row or on every
// row of a step, for the three places that run it: the training forward (lstm_rows, on the active
// path; lstm_backward_rows its backward), a cell's real-time step (recurrent_steps.hpp) and the streaming layer
// (recurrent_layers.hpp), both through lstm_row_on<I> on the path dispatch() compiled them for.
// For float on x86 it is simd_gates.ipp's one pass of whole vectors; otherwise gate_rows.hpp's
// loops (double keeps libm's exp and tanh).
#include <rnncell/detail/matrix_ref.hpp>
#include <rnncell/kernels/gate_rows.hpp>
#include <rnncell/kernels/isa.hpp>
#include <rnncell/kernels/matvec_x86.hpp>

#include <cstddef>
#include <type_traits>

namespace rnncell::kernels {

/// One row on path I: the gate blocks [i | f | g | o] of a (stride Stride: H side by side, or
/// padded to whole vectors as the streaming layers' are), plus add if not null, through their
/// activations; c' = f * c + i * g and h' = o * tanh(c') written to c and h (c_prev may be c).
/// With KeepGates, a holds i, f, g, o afterwards; tanh(c') goes to tanh_c unless it is null.
/// AVX-512 runs a stride of whole ymm or zmm vectors in the widest that divides it (gate_ops), and
/// any other in zmm vectors, the last one under a mask.
template <isa I, std::size_t H, std::size_t Stride, bool KeepGates, class T>
inline void lstm_row_on(T* a, const T* add, const T* c_prev, T* h, T* c, T* tanh_c) {
#if RNNCELL_KERNELS_X86
  using avx512_ops = std::conditional_t<Stride % 8 == 0, avx512::gate_ops<Stride>, avx512::vec_ops<float>>;
  if constexpr (std::is_same_v<T, float> && I == isa::avx512)
    return avx512::lstm_row<H, Stride, avx512_ops, KeepGates>(a, add, c_prev, h, c, tanh_c);
  else if constexpr (std::is_same_v<T, float> && I == isa::avx2)
    return avx2::lstm_row<H, Stride, avx2::vec_ops<float>, KeepGates>(a, add, c_prev, h, c, tanh_c);
#endif
  // gate_rows.hpp's row keeps the gates in a; without a tanh_c it uses a's g block, read by then.
  lstm_row<H, Stride>(a, add, c_prev, h, c, tanh_c != nullptr ? tanh_c : a + 2 * Stride);
}

namespace portable {
// Every row of a training step, forward and backward; noinline as the SIMD rows are
// (simd_gates.ipp).
template <std::size_t H, class T>
[[gnu::noinline]] void lstm_rows(::rnncell::detail::matrix_ref<T> gates, const T* b,
                                 ::rnncell::detail::matrix_ref<const T> state_prev, ::rnncell::detail::matrix_ref<T> state,
                                 ::rnncell::detail::matrix_ref<T> tanh_c) {
  for (std::size_t r = 0; r < gates.rows; ++r)
    lstm_row<H, H>(gates.row(r), b, state_prev.row(r) + H, state.row(r), state.row(r) + H, tanh_c.row(r));
}
template <std::size_t H, class T>
[[gnu::noinline]] void lstm_backward_rows(::rnncell::detail::matrix_ref<const T> gates,
                                          ::rnncell::detail::matrix_ref<const T> tanh_c,
                                          ::rnncell::detail::matrix_ref<const T> state_prev,
                                          ::rnncell::detail::matrix_ref<const T> dh, ::rnncell::detail::matrix_ref<T> d,
                                          ::rnncell::detail::matrix_ref<T> dh_prev) {
  for (std::size_t r = 0; r < gates.rows; ++r)
    lstm_backward_row<H>(gates.row(r), state_prev.row(r) + H, tanh_c.row(r), dh.row(r), d.row(r), dh_prev.row(r) + H);
}
}  // namespace portable

/// The training forward's gate math for every row of a step, on the active path: gates (B, 4H)
/// holds x Wx + h Wh on entry and i, f, g, o on return (b added first); state_prev and state are
/// (B, 2H) rows [h | c]; tanh(c') is kept in tanh_c (B, H) for backward.
template <std::size_t H, class T>
void lstm_rows(::rnncell::detail::matrix_ref<T> gates, const std::type_identity_t<T>* b,
               ::rnncell::detail::matrix_ref<const std::type_identity_t<T>> state_prev,
               ::rnncell::detail::matrix_ref<T> state, ::rnncell::detail::matrix_ref<T> tanh_c) {
#if RNNCELL_KERNELS_X86
  if constexpr (std::is_same_v<T, float>) {
    const isa path = active_isa();
    if (path == isa::avx512) return avx512::lstm_rows<H>(gates, b, state_prev, state, tanh_c);
    if (path == isa::avx2) return avx2::lstm_rows<H>(gates, b, state_prev, state, tanh_c);
  }
#endif
  portable::lstm_rows<H>(gates, b, state_prev, state, tanh_c);
}

/// The training backward's gate math for every row of a step, on the active path: from the
/// forward's gates (B, 4H: i, f, g, o), tanh_c (B, H) and state_prev (B, 2H: c read), and dh =
/// dL/d[h' | c'] (B, 2H), writes d = [d_i | d_f | d_g | d_o] (B, 4H) and the c block of dh_prev
/// (B, 2H), dL/dc; d may be gates itself (LSTMCell::backward_overwrites_gates). (Plain loops over
/// these rows stayed scalar: too many arrays for GCC to check them for overlap, 11% of an LSTM
/// train step at H = 128.)
template <std::size_t H, class T>
void lstm_backward_rows(::rnncell::detail::matrix_ref<const std::type_identity_t<T>> gates,
                        ::rnncell::detail::matrix_ref<const std::type_identity_t<T>> tanh_c,
                        ::rnncell::detail::matrix_ref<const std::type_identity_t<T>> state_prev,
                        ::rnncell::detail::matrix_ref<const std::type_identity_t<T>> dh, ::rnncell::detail::matrix_ref<T> d,
                        ::rnncell::detail::matrix_ref<T> dh_prev) {
#if RNNCELL_KERNELS_X86
  if constexpr (std::is_same_v<T, float>) {
    const isa path = active_isa();
    if (path == isa::avx512) return avx512::lstm_backward_rows<H>(gates, tanh_c, state_prev, dh, d, dh_prev);
    if (path == isa::avx2) return avx2::lstm_backward_rows<H>(gates, tanh_c, state_prev, dh, d, dh_prev);
  }
#endif
  portable::lstm_backward_rows<H>(gates, tanh_c, state_prev, dh, d, dh_prev);
}

}  // namespace rnncell::kernels
