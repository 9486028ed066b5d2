#pragma once
/// @file
/// BaseRNNCell: the part every recurrent cell shares, as a CRTP base (no virtual call per step).
///
/// It owns the sequence loops and the products that span all time steps:
/// @code{.unparsed}
///   forward:  A = X Wx                       all T steps in one product, into the gate buffers
///             for t = 1 .. T:  cell.step_forward(step t's views)       (h_{t-1} -> h_t)
///   backward: for t = T .. 1:  dh_t += the caller's dL/dh_t
///                              cell.step_backward(step t's views)      (dh_t -> dh_{t-1})
///             cell.accumulate_recurrent_grads(all steps)               (dWh, and dbh if any)
///             dWx += X^T dA,  db += sum_rows dA,  dX = dA Wx^T         (dA = d_input, all steps)
/// @endcode
/// Dropout (Keras' GRU(dropout=, recurrent_dropout=), Gal & Ghahramani 2016), in a training
/// forward only (one given a generator: Model and SequenceModel's train_on_batch): one mask per
/// sequence, the same at every step and shared by the gates, drawn from the generator when the
/// forward starts, inputs' first (B, In), then the recurrent one (B, H); inverted scaling:
/// @code{.unparsed}
///   x'_t = x_t * m_x,   m_x = 0 or 1 / (1 - dropout)        the input side: X' Wx, dWx += X'^T dA,
///                                                           dX = (dA Wx^T) * m_x
///   h_r  = h_{t-1} * m_h, m_h = 0 or 1 / (1 - recurrent_dropout)   what the recurrent products
///                                                           read (step_buffers::h_recurrent);
///                                                           dWh reads the h_r of every step, and
///                                                           dL/dh_{t-1} gets m_h * dL/dh_r
/// @endcode
/// The blend of GRU and MGU and LSTM's c carry the unmasked h (the recurrent products' input is
/// what Gal & Ghahramani drop). With dropout = recurrent_dropout = 0, or without a generator, no
/// mask exists and every step is the code without dropout, bit for bit.
/// A cell supplies only its step math: the contract is cell_contract.hpp, the concept
/// recurrent_step_math, checked here piece by piece. tests/support/elman_cell.hpp is a complete
/// minimal cell.
#include <rnncell/cell_contract.hpp>
#include <rnncell/detail/dropout.hpp>
#include <rnncell/detail/gemm.hpp>
#include <rnncell/kernels/small_gemm.hpp>
#include <rnncell/kernels/weight_gradient.hpp>
#include <rnncell/detail/lengths.hpp>
#include <rnncell/detail/matrix_ref.hpp>
#include <rnncell/detail/shapes.hpp>
#include <rnncell/detail/xtensor.hpp>
#include <rnncell/init.hpp>
#include <rnncell/kernels/isa.hpp>
#include <rnncell/parameterized.hpp>
#include <rnncell/random.hpp>
#include <rnncell/workspace.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <stdexcept>
#include <utility>

namespace rnncell {

/// The part every recurrent cell shares: the sequence loops forward and backward, the input-side
/// products over all steps at once, streaming steps and initialisation; the parameters, gradients
/// and their traversal come from parameterized. A cell derives from it and supplies only its step
/// math (the contract of cell_contract.hpp, checked when the cell is constructed).
/// Sequences are time-major (T, B, In); gradients accumulate (+=) until zero_grad().
/// @tparam Derived the cell deriving from it (CRTP), which supplies recurrent_step_math.
/// @tparam T the element type, float or double.
/// @tparam In the input width.
/// @tparam Hidden the hidden width H.
/// @tparam Gates G, the number of gate blocks of width H side by side in Wx, Wh and b.
/// @tparam Params the struct of parameters, and of their gradients (cell_parameters or
///         cell_parameters_with_recurrent_bias).
template <class Derived, class T, std::size_t In, std::size_t Hidden, std::size_t Gates, class Params>
class BaseRNNCell : public parameterized<Params> {
  static_assert(In > 0 && Hidden > 0, "rnncell: input and hidden widths must be positive");

 public:
  using value_type = T;                                ///< the element type
  using params_type = Params;                          ///< the parameter (and gradient) struct
  using workspace = sequence_workspace<T>;             ///< what forward keeps for backward
  static constexpr std::size_t input_width = In;       ///< In, the width of each x_t
  static constexpr std::size_t hidden_width = Hidden;  ///< H, the width of each h_t
  static constexpr std::size_t gate_count = Gates;     ///< G, the gate blocks in Wx, Wh and b
  /// The width of the recurrent state: H, or [h | c] = 2H for LSTM (Derived::state_blocks).
  /// h0, dh0 and a streaming state have this width; the outputs are h, the first H.
  static constexpr std::size_t state_width = detail::state_blocks_of<Derived>() * Hidden;

  /// The rate of input dropout in training (Keras' dropout): each sequence's inputs x_t lose the
  /// same features at every step, the rest scaled by 1 / (1 - dropout). In [0, 1); 0, the
  /// default, drops nothing. Read by every training forward; inference never drops.
  double dropout = 0;
  /// The rate of recurrent dropout in training (Keras' recurrent_dropout): h, where it enters
  /// the recurrent products, loses the same units at every step of a sequence, the rest scaled by
  /// 1 / (1 - recurrent_dropout). In [0, 1); 0, the default, drops nothing.
  double recurrent_dropout = 0;

  /// The check a training forward makes first (composites call it for every layer before any
  /// runs): throws std::invalid_argument naming the rate unless dropout and recurrent_dropout are
  /// in [0, 1), or if recurrent_dropout is above 0 on a cell without supports_recurrent_dropout.
  void check_dropout_rates() const {
    detail::check_dropout_rate(dropout, "dropout");
    detail::check_dropout_rate(recurrent_dropout, "recurrent_dropout");
    if (recurrent_dropout > 0 && !detail::supports_recurrent_dropout<Derived>())
      throw std::invalid_argument(
          "rnncell: recurrent_dropout > 0 on a cell that does not apply it (declare supports_recurrent_dropout "
          "once its step math reads h_recurrent and recurrent_mask: cell_contract.hpp)");
  }

  /// Runs the cell over x (T, B, In) from h0 = 0, keeping in ws what backward needs.
  /// @param x the input sequence, time-major (T, B, In), T and B at least 1.
  /// @param ws the caller's workspace, resized as needed; read h from ws.outputs(), ws.last_output().
  /// @throws std::invalid_argument if x is not (T, B, In) with T, B >= 1.
  void forward(const xt::xtensor<T, 3>& x, workspace& ws) const {
    detail::check_sequence<In>(x);
    forward_unchecked(detail::as_sequence(x), {}, ws);
  }

  /// Same, from the initial state h0 (B, state_width): h0, or [h0 | c0] for LSTM.
  /// @param x the input sequence (T, B, In), T and B at least 1.
  /// @param ws the caller's workspace, resized as needed.
  /// @param h0 the initial state (B, state_width).
  /// @throws std::invalid_argument if x is not (T, B, In) with T, B >= 1, or h0 not (B, state_width).
  void forward(const xt::xtensor<T, 3>& x, workspace& ws, const xt::xtensor<T, 2>& h0) const {
    detail::check_sequence<In>(x);
    detail::require_shape("h0", h0.shape(), std::array{x.shape(1), state_width}, "(B, state width)");
    forward_unchecked(detail::as_sequence(x), detail::as_matrix(h0), ws);
  }

  /// Runs the cell over a padded batch of sequences of different lengths (Keras masking, PyTorch's
  /// pack_padded_sequence): sequence b has lengths[b] steps; past them its state stays as it is,
  /// so ws.last_output() holds each sequence's state at its own length, and backward (which uses
  /// the same lengths) gives the padded steps no gradient. Steps past max(lengths) are not computed.
  /// @param x the padded input sequences (T, B, In), T and B at least 1.
  /// @param ws the caller's workspace, resized as needed.
  /// @param lengths B integers in [1, T] (any contiguous range: std::vector<int>, std::span, ...).
  /// @throws std::invalid_argument if x is not (T, B, In) or lengths are not B values in [1, T].
  template <length_range Lengths>
  void forward(const xt::xtensor<T, 3>& x, workspace& ws, const Lengths& lengths) const {
    detail::check_sequence<In>(x);
    detail::check_lengths(lengths, x.shape(0), x.shape(1));
    ws.set_lengths(lengths);
    forward_unchecked(detail::as_sequence(x), {}, ws, ws.lengths());
  }

  /// Same, from the initial state h0 (B, state_width).
  /// @param x the padded input sequences (T, B, In), T and B at least 1.
  /// @param ws the caller's workspace, resized as needed.
  /// @param h0 the initial state (B, state_width).
  /// @param lengths B integers in [1, T].
  /// @throws std::invalid_argument if x, h0 or lengths do not fit (T, B, In).
  template <length_range Lengths>
  void forward(const xt::xtensor<T, 3>& x, workspace& ws, const xt::xtensor<T, 2>& h0, const Lengths& lengths) const {
    detail::check_sequence<In>(x);
    detail::require_shape("h0", h0.shape(), std::array{x.shape(1), state_width}, "(B, state width)");
    detail::check_lengths(lengths, x.shape(0), x.shape(1));
    ws.set_lengths(lengths);
    forward_unchecked(detail::as_sequence(x), detail::as_matrix(h0), ws, ws.lengths());
  }

  /// Backward from dLoss/dh_t for every step, dh (T, B, H); x is the forward's input (and the
  /// forward's lengths, if it had any, apply).
  /// Accumulates into grads; leaves dLoss/dx (T, B, In) and dLoss/d(initial state)
  /// (B, state_width) in ws.
  /// @param x the input sequence the last forward with ws ran on, (T, B, In).
  /// @param ws the workspace that forward filled; ws.dx() and ws.dh0() are written.
  /// @param dh dLoss/dh_t for t = 1 .. T, (T, B, H).
  /// @throws std::invalid_argument if x is not the shape forward saw or dh is not (T, B, H).
  void backward(const xt::xtensor<T, 3>& x, workspace& ws, const xt::xtensor<T, 3>& dh) {
    detail::check_backward_input<In>(x, ws);
    detail::require_shape("dh", dh.shape(), std::array{ws.steps(), ws.batch(), Hidden}, "(T, B, H)");
    backward_unchecked(detail::as_sequence(x), ws, detail::as_sequence(dh), {}, true);
  }

  /// Backward when only the last output h_T has a gradient, dh_last (B, H).
  /// @param x the input sequence the last forward with ws ran on, (T, B, In).
  /// @param ws the workspace that forward filled; ws.dx() and ws.dh0() are written.
  /// @param dh_last dLoss/dh_T, (B, H).
  /// @throws std::invalid_argument if x is not the shape forward saw or dh_last is not (B, H).
  void backward_last(const xt::xtensor<T, 3>& x, workspace& ws, const xt::xtensor<T, 2>& dh_last) {
    detail::check_backward_input<In>(x, ws);
    detail::require_shape("dh_last", dh_last.shape(), std::array{ws.batch(), Hidden}, "(B, H)");
    backward_unchecked(detail::as_sequence(x), ws, {}, detail::as_matrix(dh_last), true);
  }

  /// Streaming inference: state <- cell(x_t, state) for a batch, x_t (B, In), h (B, state_width)
  /// (h, or [h | c] for LSTM), on the weights as they are at the call (see step_unchecked).
  /// Allocation-free once ws has seen this batch size.
  /// @param x the step's input x_t, (B, In).
  /// @param h the state at t-1 on entry, at t on return, (B, state_width).
  /// @param ws scratch for the step; its previous content is overwritten.
  /// @throws std::invalid_argument if x is not (B, In) or h is not (B, state_width).
  void step(const xt::xtensor<T, 2>& x, xt::xtensor<T, 2>& h, workspace& ws) const {
    detail::require_shape("x_t", x.shape(), std::array{x.shape(0), In}, "(B, In)");
    detail::require_shape("h", h.shape(), std::array{x.shape(0), state_width}, "(B, state width)");
    step_unchecked(detail::as_matrix(x), detail::as_matrix(h), ws);
  }

  /// Streaming inference for one sample; the widths are checked at compile time.
  /// @tparam N the input array's width, which must equal In (else a compile error naming both).
  /// @tparam S the state array's width, which must equal state_width.
  /// @param x the step's input x_t.
  /// @param h the state at t-1 on entry, at t on return (h, or [h | c] for LSTM).
  /// @param ws scratch for the step; its previous content is overwritten.
  template <std::size_t N, std::size_t S>
  void step(const std::array<T, N>& x, std::array<T, S>& h, workspace& ws) const {
    static_assert(detail::check_width<In, N>::value);
    static_assert(detail::check_width<state_width, S>::value);
    step_unchecked(matrix_ref<const T>(x.data(), 1, In), matrix_ref<T>(h.data(), 1, state_width), ws);
  }

  /// Glorot-uniform per gate for the weights, zero biases (see init.hpp).
  /// @param g the generator the weights are drawn from.
  void initialize(rng& g) {
    glorot_uniform_per_gate(this->params.Wx, this->params.Wh, Gates, g);
    this->zero_biases();
  }

  /// @name Unchecked calls
  /// The checked calls' work, shapes trusted: Stacked and Model chain layers through these
  /// without copies. An empty h0 means zeros; an empty dh_all or dh_last means no such gradient;
  /// want_dx = false skips dX (a first layer whose input needs no gradient).
  ///@{

  /// forward() without its checks. With lengths, only the first max(lengths) steps are computed
  /// (a padded batch costs what its longest sequence costs), and a sequence's state stays as it
  /// is past its length: the state at T is each sequence's state at its own length.
  /// @param x the input sequence (T, B, In).
  /// @param h0 the initial state (B, state_width), or empty for zeros.
  /// @param ws the caller's workspace, resized as needed; it keeps the lengths for backward.
  /// @param lengths B lengths in [1, T], or empty for T each.
  /// @param training the generator of a training forward, whose dropout masks (if dropout or
  ///        recurrent_dropout is above 0) are drawn from it and kept in ws for backward; null for
  ///        inference, which drops nothing.
  /// @throws std::invalid_argument in training if a rate is not in [0, 1), or recurrent_dropout
  ///         is above 0 for a cell without supports_recurrent_dropout (before anything is written).
  void forward_unchecked(detail::sequence_ref<const T> x, matrix_ref<const T> h0, workspace& ws,
                         step_lengths lengths = {}, rng* training = nullptr) const {
    if (training) check_dropout_rates();
    const bool drop_input = training && dropout > 0, drop_recurrent = training && recurrent_dropout > 0;
    ws.prepare(x.steps, x.batch, layout());
    T* const packed = ws.packed_weights(packed_input_size, packed_cell_size);
    const packed_wx wx = kernels::pack<In, Gates * Hidden>(this->params.Wx.data(), Gates * Hidden, packed);
    if constexpr (packed_cell_size > 0) derived().pack_forward_weights(packed + packed_input_size);
    ws.set_lengths(lengths);
    const std::size_t active = ws.active_steps();
    ws.set_dropout(drop_input, drop_recurrent);
    matrix_ref<const T> x_rows = x.first_steps(active).all_rows();
    kernels::run_on_active_path<T>([&] {  // the masks' draws and products are loops
      if (drop_input) {
        detail::draw_dropout_mask(ws.input_mask().data, x.batch * In, dropout, *training);
        detail::multiply_by_mask(ws.dropped_input(), x_rows, ws.input_mask());
        x_rows = ws.dropped_input();
      }
      if (drop_recurrent) detail::draw_dropout_mask(ws.recurrent_mask().data, x.batch * Hidden, recurrent_dropout, *training);
    });
    kernels::gemm_packed_set(ws.all_gates(), x_rows, wx);
    const matrix_ref<T> initial = ws.initial_state();
    if (h0.empty())
      std::fill(initial.data, initial.data + initial.rows * initial.cols, T(0));
    else
      std::copy(h0.data, h0.data + h0.rows * h0.cols, initial.data);
    // The step loop compiled for the active kernel path (kernels/isa.hpp) with the cell's gate
    // math inlined: a default build runs it in AVX-512 or AVX2 too, not SSE2.
    kernels::run_on_active_path<T>([&] {
      for (std::size_t t = 0; t < active; ++t) {
        const step_buffers<T> s = ws.forward_step(t);
        if (drop_recurrent) detail::multiply_by_mask(ws.dropped_state(t), s.h_prev.block(0, Hidden), ws.recurrent_mask());
        derived().step_forward(s);
        ws.hold_finished_states(s, t);
      }
    });
    for (std::size_t t = active; t < x.steps; ++t) {  // every sequence has ended
      const step_buffers<T> s = ws.forward_step(t);
      std::copy(s.h_prev.data, s.h_prev.data + s.h_prev.rows * s.h_prev.cols, s.h.data);
    }
  }

  /// backward() and backward_last() without their checks: dLoss/dh_t is the sum of dh_all's step t
  /// (if given) and, at t = T, dh_last (if given). The forward's lengths (kept in ws) apply: a
  /// step past a sequence's length passes its state's gradient through unchanged and gives its
  /// input and the weights nothing. So do its dropout masks (kept in ws).
  /// @param x the input sequence the last forward with ws ran on, (T, B, In).
  /// @param ws the workspace that forward filled; its dh0 (and dx if want_dx) are written.
  /// @param dh_all dLoss/dh_t for every step (T, B, H), or empty.
  /// @param dh_last dLoss/dh_T (B, H), or empty.
  /// @param want_dx whether to compute dLoss/dx into ws.
  /// @param consume_forward true where this is the forward's only backward (a Model's training
  ///        step): a cell with backward_overwrites_gates (LSTM) then writes its gradients over the
  ///        forward's gates. false (backward(), backward_last()) keeps the forward for more.
  void backward_unchecked(detail::sequence_ref<const T> x, workspace& ws, detail::sequence_ref<const T> dh_all,
                          matrix_ref<const T> dh_last, bool want_dx, bool consume_forward = false) {
    ws.begin_backward(consume_forward);
    T* const packed = ws.packed_weights(packed_input_size, packed_cell_size);
    if constexpr (packed_cell_size > 0) derived().pack_backward_weights(packed + packed_input_size);
    const std::size_t active = ws.active_steps();
    matrix_ref<T> dh = ws.gradient_carry(0), dh_prev = ws.gradient_carry(1);
    const std::size_t state_size = dh.rows * dh.cols;
    std::fill(dh.data, dh.data + state_size, T(0));
    kernels::run_on_active_path<T>([&] {  // as in forward_unchecked
      for (std::size_t t = ws.steps(); t-- > 0;) {
        if (!dh_all.empty()) detail::add_into(dh.block(0, Hidden), dh_all.at(t));
        if (!dh_last.empty() && t + 1 == ws.steps()) detail::add_into(dh.block(0, Hidden), dh_last);
        if (t >= active) continue;  // every sequence has ended: state_{t+1} = state_t
        const step_gradients<T> s = ws.backward_step(t, dh, dh_prev);
        derived().step_backward(s);
        ws.pass_finished_gradients(s, t);
        std::swap(dh, dh_prev);
      }
    });
    std::copy(dh.data, dh.data + state_size, ws.dh0_matrix().data);
    const sequence_gradients<T> all = ws.all_steps();
    const matrix_ref<const T> input_mask = ws.input_mask();
    const matrix_ref<const T> x_active = input_mask.empty() ? x.first_steps(active).all_rows() : ws.dropped_input();
    const matrix_ref<T> dx = want_dx ? ws.dx_matrix() : matrix_ref<T>{};
    const auto wx_t = want_dx ? kernels::pack_transposed<Gates * Hidden, In>(this->params.Wx.data(), Gates * Hidden,
                                                                             packed + packed_wx::size)
                              : kernels::packed_block<T, Gates * Hidden, In>{nullptr};
    // Every reader of the gate gradients D (dWh, dWx, db, dX) takes one piece of rows before the
    // next piece: D ((T*B, G*H), 1.8 MB per layer at H = 128) is read from memory once instead of
    // once per reader. kernels::for_each_gradient_piece's pieces give the same sums, in the same
    // order, as one call over all rows (weight_gradient.hpp; the column sums and dX are row by row).
    kernels::run_on_active_path<T>([&] {  // the bias gradients' column sums are loops
      kernels::for_each_gradient_piece(all.d_input.rows, [&](std::size_t first, std::size_t count) {
        const sequence_gradients<T> piece = all.rows_from(first, count);
        derived().accumulate_recurrent_grads(piece);
        kernels::add_weight_gradient<In, Gates * Hidden>(detail::as_matrix(this->grads.Wx),
                                                         x_active.rows_from(first, count), piece.d_input);
        detail::add_column_sums<Gates * Hidden>(piece.d_input, this->grads.b.data());
        if (want_dx) kernels::gemm_packed_set(dx.rows_from(first, count), piece.d_input, wx_t);
      });
      if (want_dx && !input_mask.empty()) {  // dX = (dA Wx^T) * m_x, the mask's rows from the first
        const matrix_ref<T> dx_active = dx.rows_from(0, all.d_input.rows);
        detail::multiply_by_mask(dx_active, dx_active, input_mask);
      }
    });
    if (want_dx) std::fill(dx.row(all.d_input.rows), dx.data + dx.rows * dx.cols, T(0));  // the steps nobody reached
  }

  /// step() without its checks. A cell that offers a real-time step (realtime_step and
  /// realtime_scratch, as GRUCell and MGUCell) runs it on the kernel path active_isa() names now,
  /// on its weights as they are now: no BLAS, no lock, no allocation once ws has seen this batch
  /// size. Any other cell runs the sequence forward for one step.
  /// @param x the step's input x_t, (B, In).
  /// @param h the state at t-1 on entry, at t on return, (B, state_width).
  /// @param ws scratch for the step.
  void step_unchecked(matrix_ref<const T> x, matrix_ref<T> h, workspace& ws) const {
    if constexpr (requires { Derived::realtime_scratch; }) {
      T* const scratch = ws.step_scratch(x.rows * Derived::realtime_scratch);
      kernels::dispatch(kernels::active_isa(), [&](auto path) {
        derived().template realtime_step<decltype(path)::value>(x, h, scratch);
      });
    } else {
      forward_unchecked({x.data, 1, x.rows, In, x.stride}, h, ws);
      const matrix_ref<const T> h_next = ws.final_state_matrix();
      std::copy(h_next.data, h_next.data + h_next.rows * h_next.cols, h.data);
    }
  }
  ///@}

 protected:
  /// Zero parameters and gradients of the cell's shapes; checks Derived against the cell contract.
  BaseRNNCell() : parameterized<Params>(In, Hidden, Gates) {
    static_assert(check_cell_contract<Derived, T>());  // Derived is complete here
  }

 private:
  // Wx packed (small_gemm.hpp) in every forward (X Wx), Wx^T in every backward (dX): never stale.
  using packed_wx = kernels::packed_block<T, In, Gates * Hidden>;
  static constexpr std::size_t packed_input_size = packed_wx::size + kernels::packed_block<T, Gates * Hidden, In>::size;
  static constexpr std::size_t packed_cell_size = detail::packed_size_of<Derived>();

  static constexpr cell_layout layout() {
    return {In, Hidden, Gates, Derived::saved_blocks, Derived::recurrent_grad_blocks,
            detail::state_blocks_of<Derived>(), detail::backward_overwrites_gates<Derived>()};
  }

  Derived& derived() { return static_cast<Derived&>(*this); }
  const Derived& derived() const { return static_cast<const Derived&>(*this); }
};

}  // namespace rnncell
