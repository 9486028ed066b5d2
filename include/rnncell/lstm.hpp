#pragma once
/// @file
/// LSTMCell: long short-term memory (Hochreiter & Schmidhuber 1997, with the forget gate of
/// Gers, Schmidhuber & Cummins 2000), as torch.nn.LSTM and Keras' LSTM compute it.
/// Notation as gru.hpp: x = x_t (In), s = sigmoid, a_k gate k's pre-activation, d_k = dL/da_k,
/// * elementwise. The recurrent state is two blocks, [h | c] (state_blocks = 2): h = h_{t-1} is the
/// output, c = c_{t-1} the cell's memory; h' and c' are step t's. Layout (Keras row-vector): Wx
/// (In x 4H), Wh (H x 4H), one bias b (4H), gate blocks [i | f | g | o] (PyTorch's order; Keras
/// calls g "c").
///
/// @code{.unparsed}
/// Forward:
///   i = s(a_i),  f = s(a_f),  g = tanh(a_g),  o = s(a_o),   a = x Wx + h Wh + b
///   c' = f * c + i * g
///   h' = o * tanh(c')
/// Backward, from dL/dh' and dL/dc' (the later steps' gradient of the state [h' | c']):
///   d_o   = dL/dh' * tanh(c') * o * (1 - o)
///   e     = dL/dc' + dL/dh' * o * (1 - tanh(c')^2)            (= dL/dc' over both paths)
///   d_i   = e * g * i * (1 - i)
///   d_f   = e * c * f * (1 - f)
///   d_g   = e * i * (1 - g^2)
///   dL/dc = e * f
///   dL/dh = [d_i | d_f | d_g | d_o] Wh^T
/// Weight gradients over all T*B rows at once (Hp = h_0 .. h_{T-1} stacked, D = [d_i|d_f|d_g|d_o]):
///   dWx += X^T D,  db += sum_rows D,  dX = D Wx^T                           (BaseRNNCell)
///   dWh += Hp^T D
/// @endcode
///
/// PyTorch's two biases (bias_ih, bias_hh) only ever appear summed, so one b holds their sum
/// (import_pytorch_lstm in import.hpp). initialize() sets the forget gate's bias to 1, as Keras'
/// unit_forget_bias (its default), unless unit_forget_bias is false.
#include <rnncell/base.hpp>
#include <rnncell/cell_contract.hpp>
#include <rnncell/cell_parameters.hpp>
#include <rnncell/detail/activations.hpp>
#include <rnncell/detail/gemm.hpp>
#include <rnncell/init.hpp>
#include <rnncell/kernels/weight_gradient.hpp>
#include <rnncell/random.hpp>

#include <algorithm>
#include <cstddef>
#include <type_traits>

namespace rnncell {

/// Long short-term memory, gate blocks [i | f | g | o], state [h | c]: c' = f * c + i * g,
/// h' = o * tanh(c'). The equations and the layout are written out in lstm.hpp. The sequence calls
/// (forward, backward, backward_last, step), the parameters and their traversal come from
/// BaseRNNCell; this class supplies the step math of the cell contract (cell_contract.hpp). States
/// passed in and out (h0, dh0, a stepped state) are (B, 2H), [h | c]; outputs are h only.
/// @tparam In the input width.
/// @tparam Hidden the hidden width H (of h and of c).
/// @tparam T the element type, float or double.
template <std::size_t In, std::size_t Hidden, class T = float>
class LSTMCell : public BaseRNNCell<LSTMCell<In, Hidden, T>, T, In, Hidden, 4, cell_parameters<T>> {
  static_assert(std::is_floating_point_v<T>, "rnncell: LSTMCell's T is float or double");
  static constexpr std::size_t H = Hidden;
  using base = BaseRNNCell<LSTMCell<In, Hidden, T>, T, In, Hidden, 4, cell_parameters<T>>;
  // The h block of a state row [h | c] (c is read per row, at offset H).
  template <class M>
  static M h_block(M m) { return m.block(0, H); }

 public:
  /// The same kind of cell with another input width (the upper layers of a Stacked).
  /// @tparam NewIn the other input width.
  template <std::size_t NewIn>
  using with_input = LSTMCell<NewIn, Hidden, T>;

  /// The recurrent state is [h | c], two blocks of H.
  static constexpr std::size_t state_blocks = 2;
  /// Kept per step besides the gates: tanh(c'), which h' and the backward both use.
  static constexpr std::size_t saved_blocks = 1;
  /// The recurrent side of the gradients is the input side's: d_input serves both.
  static constexpr std::size_t recurrent_grad_blocks = 0;

  /// Whether initialize() sets the forget gate's bias to 1 (Keras' unit_forget_bias, on by
  /// default there and here): the cell starts out remembering, which helps long sequences.
  bool unit_forget_bias = true;

  /// Glorot-uniform per gate for the weights (init.hpp), zero biases, then the forget gate's
  /// bias 1 if unit_forget_bias.
  /// @param g the generator the weights are drawn from.
  void initialize(rng& g) {
    base::initialize(g);
    if (unit_forget_bias) std::fill_n(this->params.b.data() + H, H, T(1));
  }

  /// One step forward on B rows (cell contract): gates from x_t Wx to i, f, g, o; the state
  /// [h' | c'] written; tanh(c') saved for backward.
  /// @param s the step's views, filled by the workspace; s.h_prev and s.h are (B, 2H).
  void step_forward(const step_buffers<T>& s) const {
    const T* b = this->params.b.data();
    // a += h Wh, straight into the gate buffer (x Wx is there already).
    detail::gemm_add(s.gates, h_block(s.h_prev), detail::as_matrix(this->params.Wh));
    for (std::size_t r = 0; r < s.gates.rows; ++r) {
      T* const i = s.gates.row(r);  // i, f, g, o side by side
      T* const f = i + H;
      T* const g = i + 2 * H;
      T* const o = i + 3 * H;
      const T* const c = s.h_prev.row(r) + H;
      T* const h_next = s.h.row(r);
      T* const c_next = h_next + H;
      T* const tanh_c = s.saved.row(r);
      for (std::size_t j = 0; j < 4 * H; ++j) i[j] += b[j];
      detail::sigmoid_inplace(i, 2 * H);  // i, f
      detail::tanh_inplace(g, H);
      detail::sigmoid_inplace(o, H);
      // c' = f * c + i * g
      for (std::size_t j = 0; j < H; ++j) tanh_c[j] = c_next[j] = f[j] * c[j] + i[j] * g[j];
      // h' = o * tanh(c')
      detail::tanh_inplace(tanh_c, H);
      for (std::size_t j = 0; j < H; ++j) h_next[j] = o[j] * tanh_c[j];
    }
  }

  /// One step backward on B rows (cell contract): d_input = [d_i | d_f | d_g | d_o] and
  /// dh_prev = [dL/dh | dL/dc] from dh = [dL/dh' | dL/dc'].
  /// @param s the step's views, filled by the workspace; s.h_prev, s.dh and s.dh_prev are (B, 2H).
  void step_backward(const step_gradients<T>& s) const {
    for (std::size_t r = 0; r < s.gates.rows; ++r) {
      const T* const i = s.gates.row(r);
      const T* const f = i + H;
      const T* const g = i + 2 * H;
      const T* const o = i + 3 * H;
      const T* const c = s.h_prev.row(r) + H;
      const T* const tanh_c = s.saved.row(r);
      const T* const dh_next = s.dh.row(r);
      const T* const dc_next = dh_next + H;
      T* const d_i = s.d_input.row(r);
      T* const d_f = d_i + H;
      T* const d_g = d_i + 2 * H;
      T* const d_o = d_i + 3 * H;
      T* const dc = s.dh_prev.row(r) + H;
      for (std::size_t j = 0; j < H; ++j) {
        // e = dL/dc' + dL/dh' * o * (1 - tanh(c')^2)
        const T e = dc_next[j] + dh_next[j] * o[j] * (1 - tanh_c[j] * tanh_c[j]);
        d_o[j] = dh_next[j] * tanh_c[j] * o[j] * (1 - o[j]);
        d_i[j] = e * g[j] * i[j] * (1 - i[j]);
        d_f[j] = e * c[j] * f[j] * (1 - f[j]);
        d_g[j] = e * i[j] * (1 - g[j] * g[j]);
        dc[j] = e * f[j];
      }
    }
    // dL/dh = D Wh^T
    detail::gemm_set(h_block(s.dh_prev), matrix_ref<const T>(s.d_input),
                     detail::transposed(detail::as_matrix(this->params.Wh)));
  }

  /// Adds the recurrent weight gradient dWh of every step (cell contract): one product over all
  /// T*B rows, dWh += Hp^T D.
  /// @param all every step's views at once; all.h_prev is (T*B, 2H), its h block is read.
  void accumulate_recurrent_grads(const sequence_gradients<T>& all) {
    kernels::add_weight_gradient<H, 4 * H>(detail::as_matrix(this->grads.Wh), h_block(all.h_prev), all.d_input);
  }
};

}  // namespace rnncell
