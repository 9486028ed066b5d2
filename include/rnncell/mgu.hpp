#pragma once
/// @file
/// MGUCell: minimal gated unit (Zhou, Wu, Zhang & Zhou 2016, "Minimal Gated Unit for Recurrent
/// Neural Networks"): the GRU with its update and reset gates merged into one forget gate f.
/// Notation as gru.hpp: x = x_t, h = h_{t-1}, h' = h_t, s = sigmoid, a_k gate k's pre-activation,
/// d_k = dL/da_k. Layout (Keras row-vector): Wx (In x 2H), Wh (H x 2H), b (2H), gate blocks [f | n].
///
/// @code{.unparsed}
/// Forward:
///   f  = s(a_f),     a_f = x Wxf + h Whf + bf
///   n  = tanh(a_n),  a_n = x Wxn + (f * h) Whn + bn
///   h' = (1 - f) * h + f * n
/// With recurrent dropout (base.hpp) the h in both products, f * h included, is h_r = h * m_h;
/// the blend keeps h; dL/dh gets m_h times what reached h_r.
/// Backward, from g = dL/dh':
///   d_n = g * f * (1 - n^2)
///   e   = d_n Whn^T                                  (= dL/d(f*h))
///   d_f = (g * (n - h) + e * h) * f * (1 - f)        (f reaches h' and f * h)
///   dL/dh = g * (1 - f) + e * f + d_f Whf^T
/// Weight gradients over all T*B rows (Hp = h_0 .. h_{T-1} stacked):
///   dWx += X^T [d_f | d_n],  db += sum_rows [d_f | d_n],  dX = [d_f | d_n] Wx^T   (BaseRNNCell)
///   dWhf += Hp^T d_f,  dWhn += (F * Hp)^T d_n
/// @endcode
/// Update convention as GRUCell: f = 1 takes the candidate, f = 0 keeps h.
#include <rnncell/base.hpp>
#include <rnncell/cell_contract.hpp>
#include <rnncell/cell_parameters.hpp>
#include <rnncell/detail/activations.hpp>
#include <rnncell/detail/dropout.hpp>
#include <rnncell/detail/gated_update.hpp>
#include <rnncell/detail/gemm.hpp>
#include <rnncell/kernels/small_gemm.hpp>
#include <rnncell/kernels/recurrent_steps.hpp>
#include <rnncell/kernels/weight_gradient.hpp>

#include <cstddef>
#include <type_traits>

namespace rnncell {

/// Minimal gated unit, gate blocks [f | n], h' = (1 - f) * h + f * n: the equations and the
/// layout are written out in mgu.hpp. The sequence calls (forward, backward, backward_last, step),
/// the parameters and their traversal come from BaseRNNCell; this class supplies the step math of
/// the cell contract (cell_contract.hpp).
/// @tparam In the input width.
/// @tparam Hidden the hidden width H.
/// @tparam T the element type, float or double.
template <std::size_t In, std::size_t Hidden, class T = float>
class MGUCell : public BaseRNNCell<MGUCell<In, Hidden, T>, T, In, Hidden, 2, cell_parameters<T>> {
  static_assert(std::is_floating_point_v<T>, "rnncell: MGUCell's T is float or double");
  static constexpr std::size_t H = Hidden;
  // Gate blocks of every (rows x 2H) matrix: columns [f | n].
  template <class M>
  static M f_block(M m) { return m.block(0, H); }
  template <class M>
  static M n_block(M m) { return m.block(H, H); }
  // The per-step products' weights as pack_forward_weights / pack_backward_weights lay them out
  // in the workspace, one H x H block each: Whf, Whn, then Whn^T, Whf^T.
  using packed_hh = kernels::packed_block<T, H, H>;

 public:
  /// Values pack_forward_weights and pack_backward_weights write into the workspace.
  static constexpr std::size_t packed_size = 4 * packed_hh::size;

  /// Packs step_forward's recurrent weights (BaseRNNCell, at the start of every forward).
  /// @param out packed_size values, 64-byte aligned.
  void pack_forward_weights(T* out) const {
    const T* const wh = this->params.Wh.data();
    kernels::pack<H, H>(wh, 2 * H, out);
    kernels::pack<H, H>(wh + H, 2 * H, out + packed_hh::size);
  }

  /// Packs step_backward's transposed recurrent weights (BaseRNNCell, at the start of every
  /// backward).
  /// @param out packed_size values, 64-byte aligned.
  void pack_backward_weights(T* out) const {
    const T* const wh = this->params.Wh.data();
    kernels::pack_transposed<H, H>(wh + H, 2 * H, out + 2 * packed_hh::size);
    kernels::pack_transposed<H, H>(wh, 2 * H, out + 3 * packed_hh::size);
  }

  /// The same kind of cell with another input width (the upper layers of a Stacked).
  /// @tparam NewIn the other input width.
  template <std::size_t NewIn>
  using with_input = MGUCell<NewIn, Hidden, T>;

  /// Kept per step besides the gates: f * h, the candidate's recurrent input.
  static constexpr std::size_t saved_blocks = 1;
  /// The recurrent side of the gradients is the input side's: d_input serves both.
  static constexpr std::size_t recurrent_grad_blocks = 0;
  /// The products read s.h_recurrent and dh_prev takes the recurrent mask (cell_contract.hpp).
  static constexpr bool supports_recurrent_dropout = true;

  /// One step forward on B rows (cell contract): gates from x_t Wx to f, n; h_t written; f * h
  /// saved for backward.
  /// @param s the step's views, filled by the workspace.
  void step_forward(const step_buffers<T>& s) const {
    const T* const packed = s.packed_weights;
    const T* b = this->params.b.data();
    // a_f += h_r Whf, straight into the gate buffer (no scratch, no C = 0 pass); h_r is h, or h
    // times the recurrent dropout mask.
    kernels::gemm_packed_add(f_block(s.gates), s.h_recurrent, packed_hh{packed});
    for (std::size_t i = 0; i < s.gates.rows; ++i) {
      T* const f = s.gates.row(i);
      const T* const h = s.h_recurrent.row(i);
      T* const f_h = s.saved.row(i);
      for (std::size_t j = 0; j < H; ++j) f[j] += b[j];  // + bf
      detail::sigmoid_inplace(f, H);
      for (std::size_t j = 0; j < H; ++j) f_h[j] = f[j] * h[j];
    }
    // a_n += (f * h) Whn: the candidate's product waits for f.
    kernels::gemm_packed_add(n_block(s.gates), s.saved, packed_hh{packed + packed_hh::size});
    for (std::size_t i = 0; i < s.gates.rows; ++i) {
      T* const f = s.gates.row(i);
      T* const n = f + H;
      for (std::size_t j = 0; j < H; ++j) n[j] += b[H + j];  // + bn
      detail::tanh_inplace(n, H);
      detail::blend_states(s.h_prev.row(i), f, n, s.h.row(i), H);
    }
  }

  /// One step backward on B rows (cell contract): d_input = [d_f | d_n] and dh_prev = dL/dh_{t-1}.
  /// @param s the step's views, filled by the workspace.
  void step_backward(const step_gradients<T>& s) const {
    const T* const packed = s.packed_weights;
    // d_n and the direct dL/dh; d_f's block holds dL/df through h' only, for now.
    for (std::size_t i = 0; i < s.gates.rows; ++i) {
      const T* const f = s.gates.row(i);
      T* const d_f = s.d_input.row(i);
      detail::blend_states_backward<detail::u_gradient::through_update_only>(s.dh.row(i), s.h_prev.row(i), f, f + H,
                                                                              d_f, d_f + H, s.dh_prev.row(i), H);
    }
    // e = dL/d(f*h_r) = d_n Whn^T, then through f and h_r. dL/dh_r, the products' side, goes
    // into dh_prev, or apart when a recurrent dropout mask must multiply it first.
    const matrix_ref<T> e = s.scratch.block(0, H);
    const matrix_ref<T> dh_r = detail::recurrent_gradient_sink(s.dh_prev, s.recurrent_mask, s.scratch.block(H, H));
    kernels::gemm_packed_set(e, n_block(s.d_input), packed_hh{packed + 2 * packed_hh::size});
    for (std::size_t i = 0; i < s.gates.rows; ++i) {
      const T* const f = s.gates.row(i);
      const T* const h = s.h_recurrent.row(i);
      const T* const e_i = e.row(i);
      T* const d_f = s.d_input.row(i);
      T* const dh = dh_r.row(i);
      for (std::size_t j = 0; j < H; ++j) {
        d_f[j] = (d_f[j] + e_i[j] * h[j]) * f[j] * (1 - f[j]);
        dh[j] += e_i[j] * f[j];
      }
    }
    // dL/dh_r += d_f Whf^T
    kernels::gemm_packed_add(dh_r, f_block(s.d_input), packed_hh{packed + 3 * packed_hh::size});
    detail::finish_recurrent_gradient(s.dh_prev, s.recurrent_mask, dh_r);  // dL/dh += m_h * dL/dh_r
  }

  /// Scratch values per row that realtime_step needs (BaseRNNCell::step gives them).
  static constexpr std::size_t realtime_scratch = kernels::gated_candidate_step<T, In, H, 1>::scratch_per_row;

  /// One real-time step (BaseRNNCell::step) on kernel path I: the forward equations above on B
  /// rows, on this cell's weights as they are now (kernels/recurrent_steps.hpp).
  /// @tparam I the kernel path, the one dispatch() compiles the call for.
  /// @param x the step's input x_t, (B, In).
  /// @param h h_{t-1} on entry, h_t on return, (B, H).
  /// @param scratch B * realtime_scratch values, overwritten.
  template <kernels::isa I>
  void realtime_step(matrix_ref<const T> x, matrix_ref<T> h, T* scratch) const {
    const auto& p = this->params;
    kernels::gated_candidate_step<T, In, H, 1>::template run<I>(x.data, x.stride, h.data, h.stride, x.rows,
                                                                p.Wx.data(), p.Wh.data(), p.b.data(), scratch);
  }

  /// Adds the recurrent weight gradient dWh of every step (cell contract), one product per gate
  /// block over all T*B rows.
  /// @param all every step's views at once.
  void accumulate_recurrent_grads(const sequence_gradients<T>& all) {
    const matrix_ref<T> dWh = detail::as_matrix(this->grads.Wh);
    kernels::add_weight_gradient<H, H>(f_block(dWh), all.h_recurrent, f_block(all.d_input));
    kernels::add_weight_gradient<H, H>(n_block(dWh), all.saved, n_block(all.d_input));  // (F * Hr)^T d_n
  }
};

}  // namespace rnncell
