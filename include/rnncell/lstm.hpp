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
/// With recurrent dropout (base.hpp) the product reads h_r = h * m_h: a += h_r Wh, dL/dh gets
/// m_h * (D Wh^T), dWh += Hr^T D; c is never dropped.
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
#include <rnncell/detail/dropout.hpp>
#include <rnncell/init.hpp>
#include <rnncell/kernels/lstm_rows.hpp>
#include <rnncell/kernels/recurrent_steps.hpp>
#include <rnncell/kernels/small_gemm.hpp>
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
  // The per-step products' weights as pack_forward_weights / pack_backward_weights lay them out
  // in the workspace: Wh, then from backward_offset on, Wh^T.
  using packed_wh = kernels::packed_block<T, H, 4 * H>;
  using packed_wh_t = kernels::packed_block<T, 4 * H, H>;
  static constexpr std::size_t backward_offset = packed_wh::size;

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
  /// The product reads s.h_recurrent and dh_prev takes the recurrent mask (cell_contract.hpp).
  static constexpr bool supports_recurrent_dropout = true;
  /// step_backward's gate rows read i, f, g, o of a column before they write that column's four
  /// gradients (kernels/lstm_rows.hpp), so in a Model's training step (one backward per forward)
  /// d_input takes the gates' place: the rows write the lines they have just read rather than a
  /// second (T, B, 4H) buffer, and the step's footprint shrinks by as much. The rows alone, 28
  /// steps walked backward at B = 32, H = 128: 10.5 us a step -> 3.1. The train step (B = 32,
  /// T = 28, default build, one AVX-512 Xeon core, best of 3 interleaved rounds): 1 x 128 2.91 ms
  /// -> 2.59, 2 x 256 31.7 -> 27.3, 3 x 50 2.42 -> 2.21 (bench/README.md).
  static constexpr bool backward_overwrites_gates = true;

  /// Values pack_forward_weights and pack_backward_weights write into the workspace.
  static constexpr std::size_t packed_size = backward_offset + packed_wh_t::size;

  /// Packs step_forward's recurrent weights Wh (BaseRNNCell, at the start of every forward).
  /// @param out packed_size values, 64-byte aligned.
  void pack_forward_weights(T* out) const { kernels::pack<H, 4 * H>(this->params.Wh.data(), 4 * H, out); }

  /// Packs step_backward's Wh^T (BaseRNNCell, at the start of every backward).
  /// @param out packed_size values, 64-byte aligned.
  void pack_backward_weights(T* out) const {
    kernels::pack_transposed<4 * H, H>(this->params.Wh.data(), 4 * H, out + backward_offset);
  }

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
    // a += h_r Wh, straight into the gate buffer (x Wx is there already); h_r is h, or h times
    // the recurrent dropout mask.
    kernels::gemm_packed_add(s.gates, s.h_recurrent, packed_wh{s.packed_weights});
    // i, f, g, o = s, s, tanh, s (a + b);  c' = f * c + i * g;  h' = o * tanh(c'), row by row
    kernels::lstm_rows<H>(s.gates, this->params.b.data(), s.h_prev, s.h, s.saved);
  }

  /// One step backward on B rows (cell contract): d_input = [d_i | d_f | d_g | d_o] and
  /// dh_prev = [dL/dh | dL/dc] from dh = [dL/dh' | dL/dc'].
  /// @param s the step's views, filled by the workspace; s.h_prev, s.dh and s.dh_prev are (B, 2H).
  void step_backward(const step_gradients<T>& s) const {
    // d_i, d_f, d_g, d_o and dL/dc, row by row (kernels/lstm_rows.hpp)
    kernels::lstm_backward_rows<H>(s.gates, s.saved, s.h_prev, s.dh, s.d_input, s.dh_prev);
    // dL/dh = D Wh^T (times the recurrent dropout mask, if any: h reaches the step through h_r only)
    kernels::gemm_packed_set(h_block(s.dh_prev), s.d_input, packed_wh_t{s.packed_weights + backward_offset});
    if (!s.recurrent_mask.empty()) detail::multiply_by_mask(h_block(s.dh_prev), h_block(s.dh_prev), s.recurrent_mask);
  }

  /// Scratch values per row that realtime_step needs (BaseRNNCell::step gives them).
  static constexpr std::size_t realtime_scratch = kernels::lstm_step<T, In, H>::scratch_per_row;

  /// One real-time step (BaseRNNCell::step) on kernel path I: the forward equations above on B
  /// rows, on this cell's weights as they are now (kernels/recurrent_steps.hpp).
  /// @tparam I the kernel path, the one dispatch() compiles the call for.
  /// @param x the step's input x_t, (B, In).
  /// @param state [h | c] at t-1 on entry, at t on return, (B, 2H).
  /// @param scratch B * realtime_scratch values, overwritten.
  template <kernels::isa I>
  void realtime_step(matrix_ref<const T> x, matrix_ref<T> state, T* scratch) const {
    const auto& p = this->params;
    kernels::lstm_step<T, In, H>::template run<I>(x.data, x.stride, state.data, state.stride, x.rows, p.Wx.data(),
                                                  p.Wh.data(), p.b.data(), scratch);
  }

  /// Adds the recurrent weight gradient dWh of every step (cell contract): one product over all
  /// T*B rows, dWh += Hp^T D.
  /// @param all every step's views at once; all.h_recurrent (T*B, H) is read.
  void accumulate_recurrent_grads(const sequence_gradients<T>& all) {
    kernels::add_weight_gradient<H, 4 * H>(detail::as_matrix(this->grads.Wh), all.h_recurrent, all.d_input);
  }
};

}  // namespace rnncell
