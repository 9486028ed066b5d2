#pragma once
/// @file
/// Stacked<Cell, N>: N recurrent layers, layer 0 is Cell (In -> H), layers 1..N-1 the same kind of
/// cell with input width H. Layer i+1 reads layer i's hidden states in place (time-major buffers
/// chain without copies); backward runs the layers top-down, each layer's dx being the dh of the one
/// below. Parameters are named "layer<i>.<name>".
///
/// The same sequence surface as a single cell (forward, backward, backward_last, step), with one
/// convention for states: a state holds every layer's, layer-major. A cell's h0, dh0 and streaming
/// h are (B, S) with S = Cell::state_width (H, or 2H for LSTM's [h | c]); a stack's are (N, B, S),
/// layer 0 (the bottom) first.
///
/// Dropout between the layers (PyTorch's nn.GRU(num_layers = N, dropout = p)), in a training
/// forward only: layer i+1 reads y_t * M_t, y_t being layer i's outputs and M_t a fresh mask per
/// step, sequence and unit (0 or 1 / (1 - p)), drawn after layer i's forward; no mask after the
/// top layer. Backward: dL/dy_t = M_t * (layer i+1's dx_t). The layers' own dropout (their
/// dropout and recurrent_dropout, Keras') applies inside each layer besides.
#include <rnncell/composite.hpp>
#include <rnncell/detail/dropout.hpp>
#include <rnncell/detail/lengths.hpp>
#include <rnncell/detail/matrix_ref.hpp>
#include <rnncell/detail/names.hpp>
#include <rnncell/detail/shapes.hpp>
#include <rnncell/detail/xtensor.hpp>
#include <rnncell/kernels/isa.hpp>
#include <rnncell/random.hpp>
#include <rnncell/workspace.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace rnncell {

/// What a Stacked's forward keeps for its backward: one layer workspace per layer, owned by the
/// caller and reused across batches, with the stack's outputs and gradients read from it.
/// @tparam T the element type.
/// @tparam N the number of layers.
/// @tparam LayerWorkspace each layer's: a cell's sequence_workspace, or a Bidirectional's
///         bidirectional_workspace.
template <class T, std::size_t N, class LayerWorkspace = sequence_workspace<T>>
class stacked_workspace {
 public:
  std::array<LayerWorkspace, N> layers;  ///< one per layer, bottom first

  /// The per-sequence lengths of the last forward (empty: every sequence had T steps).
  /// @return a view of them.
  step_lengths lengths() const { return layers[0].lengths(); }
  /// The number of steps T of the last forward.
  /// @return T, 0 before any forward.
  std::size_t steps() const { return layers[0].steps(); }
  /// The batch size B of the last forward.
  /// @return B, 0 before any forward.
  std::size_t batch() const { return layers[0].batch(); }
  auto outputs() { return layers[N - 1].outputs(); }          ///< top layer's h_1..h_T (T, B, H)
  auto last_output() { return layers[N - 1].last_output(); }  ///< top layer's h_T (B, H)
  auto dx() { return layers[0].dx(); }                        ///< dLoss/dx (T, B, In)
  /// dLoss/d(initial state) of every layer after backward, (N, B, S), gathered from the layers when asked (a
  /// training step that does not read it pays nothing).
  /// @return an xtensor view of the workspace's buffer, valid until the next call of dh0().
  auto dh0() {
    const std::size_t state_size = layers[0].dh0_matrix().rows * layers[0].dh0_matrix().cols;
    dh0_.resize(N * state_size);
    for (std::size_t i = 0; i < N; ++i) {
      const matrix_ref<T> d = layers[i].dh0_matrix();
      std::copy(d.data, d.data + state_size, dh0_.data() + i * state_size);
    }
    const std::array<std::size_t, 3> shape{N, batch(), layers[0].dh0_matrix().cols};
    return xt::adapt(dh0_.data(), dh0_.size(), xt::no_ownership(), shape);
  }

  /// The top layer's h_1 .. h_T and h_T, for what reads the stack's output.
  /// @return a view of the top layer's h_1 .. h_T, (T, B, H).
  sequence_ref<const T> output_sequence() const { return layers[N - 1].output_sequence(); }
  /// The top layer's h_T, for what reads the stack's last output (Model's head).
  /// @return a view of the top layer's h_T, (B, H).
  matrix_ref<const T> last_state() const { return layers[N - 1].last_state(); }

  /// The mask between layer i and layer i+1 of the last training forward, (T, B, width), width
  /// being layer i's output width; empty when that forward dropped nothing between the layers.
  /// @param i the lower layer, 0 .. N-2.
  /// @return a view of it.
  sequence_ref<const T> between_mask(std::size_t i) const {
    if (!dropped_between_) return {};
    return {between_mask_[i].data(), steps(), batch(), between_width_};
  }

 private:
  template <class, std::size_t>
  friend class Stacked;
  // Draws the mask between layer i and i+1 from g at rate p and returns layer i's outputs times it.
  sequence_ref<const T> drop_between(std::size_t i, sequence_ref<const T> outputs, double p, rng& g) {
    const std::size_t size = outputs.steps * outputs.batch * outputs.width;
    between_mask_[i].resize(size);
    between_input_[i].resize(size);
    between_width_ = outputs.width;
    const sequence_ref<T> dropped{between_input_[i].data(), outputs.steps, outputs.batch, outputs.width};
    kernels::run_on_active_path<T>([&] {  // T * B * width values: the loops on the active path
      detail::draw_dropout_mask(between_mask_[i].data(), size, p, g);
      detail::multiply_by_mask(dropped.all_rows(), outputs.all_rows(), mask_rows(i));
    });
    return dropped;
  }
  // What layer i+1 read in the last forward: layer i's outputs, or them times the mask.
  sequence_ref<const T> layer_input(std::size_t i, sequence_ref<const T> outputs) const {
    if (!dropped_between_) return outputs;
    return {between_input_[i].data(), steps(), batch(), between_width_};
  }
  // dL/d(layer i's outputs) from dL/d(layer i+1's input): times the mask, if any.
  sequence_ref<const T> gradient_below(std::size_t i, sequence_ref<const T> dx_above) {
    if (!dropped_between_) return dx_above;
    between_gradient_.resize(dx_above.steps * dx_above.batch * dx_above.width);
    const sequence_ref<T> d{between_gradient_.data(), dx_above.steps, dx_above.batch, dx_above.width};
    kernels::run_on_active_path<T>([&] { detail::multiply_by_mask(d.all_rows(), dx_above.all_rows(), mask_rows(i)); });
    return d;
  }
  matrix_ref<const T> mask_rows(std::size_t i) const {
    return {between_mask_[i].data(), steps() * batch(), between_width_};
  }

  std::vector<T> dh0_;  // (N, B, H)
  // Dropout between the layers (a training forward with Stacked::dropout > 0): per boundary the
  // mask and the masked outputs (T, B, width); the gradient through a mask, reused boundary by boundary.
  bool dropped_between_ = false;
  std::size_t between_width_ = 0;
  std::array<std::vector<T>, N - 1> between_mask_, between_input_;
  std::vector<T> between_gradient_;
};

/// N recurrent layers, layer 0 is Cell (In -> H), layers 1..N-1 Cell::with_input<H> (H -> H): the
/// same sequence calls as a single cell, with every state (h0, dh0, a streaming h) holding every
/// layer's, (N, B, H), bottom first. Parameters are named "layer<i>.<name>" (composite).
/// @tparam Cell the bottom layer's cell type (GRUCell, MGUCell, LSTMCell, a Bidirectional of one,
///         or any cell with with_input).
/// @tparam N the number of layers, at least 1.
template <class Cell, std::size_t N>
class Stacked : public composite<Stacked<Cell, N>> {
  static_assert(N >= 1, "rnncell: Stacked<Cell, N> needs N >= 1 layers");

 public:
  using value_type = typename Cell::value_type;  ///< the element type
  using first_layer_type = Cell;                  ///< layer 0's type, In -> H
  /// Layers 1..N-1's type, H -> H.
  using upper_layer_type = typename Cell::template with_input<Cell::hidden_width>;
  using workspace = stacked_workspace<value_type, N, typename Cell::workspace>;  ///< what forward keeps for backward
  static constexpr std::size_t input_width = Cell::input_width;    ///< In, the width of each x_t
  static constexpr std::size_t hidden_width = Cell::hidden_width;  ///< H, every layer's width
  static constexpr std::size_t state_width = Cell::state_width;    ///< S, every layer's state width
  static constexpr std::size_t layer_count = N;                    ///< N

  /// The rate of dropout between the layers in training (PyTorch's nn.GRU(dropout = p)): a fresh
  /// mask per step on every layer's outputs but the top one's. In [0, 1); 0, the default, drops
  /// nothing. Each layer's own dropout and recurrent_dropout (Keras') are set on the layer.
  double dropout = 0;

  /// Layer I, for its parameters or to use it alone.
  /// @tparam I the layer's index, 0 (the bottom) to N-1; I >= N does not compile.
  /// @return layer I: a first_layer_type for I = 0, else an upper_layer_type.
  template <std::size_t I>
  auto& layer() {
    static_assert(I < N, "rnncell: Stacked::layer<I>() with I >= N");
    if constexpr (I == 0)
      return first_;
    else
      return upper_[I - 1];
  }
  /// Layer I, read-only.
  /// @tparam I the layer's index, 0 (the bottom) to N-1; I >= N does not compile.
  /// @return layer I: a first_layer_type for I = 0, else an upper_layer_type.
  template <std::size_t I>
  const auto& layer() const {
    return const_cast<Stacked&>(*this).template layer<I>();
  }

  /// Runs the stack over x (T, B, In) from zero states.
  /// @param x the input sequence, time-major (T, B, In), T and B at least 1.
  /// @param ws the caller's workspace, resized as needed; the top layer's hidden states are read
  ///        from it (ws.outputs(), ws.last_output()).
  /// @throws std::invalid_argument if x is not (T, B, In) with T, B >= 1.
  void forward(const xt::xtensor<value_type, 3>& x, workspace& ws) const {
    detail::check_sequence<input_width>(x);
    forward_unchecked(detail::as_sequence(x), {}, ws);
  }

  /// Same, from initial states h0 (N, B, S).
  /// @param x the input sequence (T, B, In), T and B at least 1.
  /// @param ws the caller's workspace, resized as needed.
  /// @param h0 every layer's initial state, (N, B, S), bottom first.
  /// @throws std::invalid_argument if x is not (T, B, In) with T, B >= 1, or h0 is not (N, B, S).
  void forward(const xt::xtensor<value_type, 3>& x, workspace& ws, const xt::xtensor<value_type, 3>& h0) const {
    detail::check_sequence<input_width>(x);
    detail::require_shape("h0", h0.shape(), std::array{N, x.shape(1), state_width}, "(layers, B, state width)");
    forward_unchecked(detail::as_sequence(x), detail::as_sequence(h0), ws);
  }

  /// Runs the stack over a padded batch of sequences of different lengths (see BaseRNNCell's
  /// forward with lengths: every layer keeps a sequence's state past its length).
  /// @param x the padded input sequences (T, B, In), T and B at least 1.
  /// @param ws the caller's workspace, resized as needed.
  /// @param lengths B integers in [1, T] (any contiguous range).
  /// @throws std::invalid_argument if x is not (T, B, In) or lengths are not B values in [1, T].
  template <length_range Lengths>
  void forward(const xt::xtensor<value_type, 3>& x, workspace& ws, const Lengths& lengths) const {
    detail::check_sequence<input_width>(x);
    detail::check_lengths(lengths, x.shape(0), x.shape(1));
    ws.layers[0].set_lengths(lengths);
    forward_unchecked(detail::as_sequence(x), {}, ws, ws.layers[0].lengths());
  }

  /// Same, from initial states h0 (N, B, S).
  /// @param x the padded input sequences (T, B, In), T and B at least 1.
  /// @param ws the caller's workspace, resized as needed.
  /// @param h0 every layer's initial state, (N, B, S), bottom first.
  /// @param lengths B integers in [1, T].
  /// @throws std::invalid_argument if x, h0 or lengths do not fit (T, B, In).
  template <length_range Lengths>
  void forward(const xt::xtensor<value_type, 3>& x, workspace& ws, const xt::xtensor<value_type, 3>& h0,
               const Lengths& lengths) const {
    detail::check_sequence<input_width>(x);
    detail::require_shape("h0", h0.shape(), std::array{N, x.shape(1), state_width}, "(layers, B, state width)");
    detail::check_lengths(lengths, x.shape(0), x.shape(1));
    ws.layers[0].set_lengths(lengths);
    forward_unchecked(detail::as_sequence(x), detail::as_sequence(h0), ws, ws.layers[0].lengths());
  }

  /// Backward from dLoss/dh_t of the top layer for every step, dh (T, B, H); leaves dLoss/dx
  /// (T, B, In) and dLoss/d(initial states) (N, B, S) in ws.
  /// @param x the input sequence the last forward with ws ran on, (T, B, In).
  /// @param ws the workspace that forward filled; ws.dx() and ws.dh0() are written.
  /// @param dh dLoss/dh_t of the top layer for t = 1 .. T, (T, B, H).
  /// @throws std::invalid_argument if x is not the shape forward saw or dh is not (T, B, H).
  void backward(const xt::xtensor<value_type, 3>& x, workspace& ws, const xt::xtensor<value_type, 3>& dh) {
    detail::check_backward_input<input_width>(x, ws);
    detail::require_shape("dh", dh.shape(), std::array{ws.steps(), ws.batch(), hidden_width}, "(T, B, H)");
    backward_unchecked(detail::as_sequence(x), ws, detail::as_sequence(dh), {}, true);
  }

  /// Backward when only the top layer's h_T has a gradient, dh_last (B, H).
  /// @param x the input sequence the last forward with ws ran on, (T, B, In).
  /// @param ws the workspace that forward filled; ws.dx() and ws.dh0() are written.
  /// @param dh_last dLoss/dh_T of the top layer, (B, H).
  /// @throws std::invalid_argument if x is not the shape forward saw or dh_last is not (B, H).
  void backward_last(const xt::xtensor<value_type, 3>& x, workspace& ws,
                     const xt::xtensor<value_type, 2>& dh_last) {
    detail::check_backward_input<input_width>(x, ws);
    detail::require_shape("dh_last", dh_last.shape(), std::array{ws.batch(), hidden_width}, "(B, H)");
    backward_unchecked(detail::as_sequence(x), ws, {}, detail::as_matrix(dh_last), true);
  }

  /// Streaming inference: every layer's state h (N, B, S) advances by one step of x_t (B, In).
  /// @param x the step's input x_t, (B, In).
  /// @param h every layer's state, (N, B, S): at t-1 on entry, at t on return.
  /// @param ws scratch for the step; its previous content is overwritten.
  /// @throws std::invalid_argument if x is not (B, In) or h is not (N, B, S).
  void step(const xt::xtensor<value_type, 2>& x, xt::xtensor<value_type, 3>& h, workspace& ws) const {
    detail::require_shape("x_t", x.shape(), std::array{x.shape(0), input_width}, "(B, In)");
    detail::require_shape("h", h.shape(), std::array{N, x.shape(0), state_width}, "(layers, B, state width)");
    const detail::sequence_ref<value_type> states = detail::as_sequence(h);
    first_.step_unchecked(detail::as_matrix(x), states.at(0), ws.layers[0]);
    for (std::size_t i = 1; i < N; ++i)
      upper_[i - 1].step_unchecked(states.at(i - 1).block(0, hidden_width), states.at(i), ws.layers[i]);
  }

  /// The check a training forward makes first: dropout (between the layers) and every layer's
  /// rates in [0, 1), or std::invalid_argument naming the rate (and the layer).
  void check_dropout_rates() const {
    detail::check_dropout_rate(dropout, "Stacked::dropout");
    checked_layer(0, first_);
    for (std::size_t i = 1; i < N; ++i) checked_layer(i, upper_[i - 1]);
  }

  /// @name Unchecked calls
  /// The checked calls' work, shapes trusted (as BaseRNNCell's); an empty h0 means zeros.
  ///@{

  /// forward() without its checks.
  /// @param x the input sequence (T, B, In).
  /// @param h0 every layer's initial state (N, B, S), or empty for zeros.
  /// @param ws the caller's workspace, resized as needed.
  /// @param lengths B lengths in [1, T], or empty for T each.
  /// @param training the generator of a training forward (dropout: the layers' masks and those
  ///        between them, drawn bottom-up), or null for inference.
  /// @throws std::invalid_argument in training if a dropout rate is not in [0, 1).
  void forward_unchecked(detail::sequence_ref<const value_type> x, detail::sequence_ref<const value_type> h0,
                         workspace& ws, step_lengths lengths = {}, rng* training = nullptr) const {
    if (training) check_dropout_rates();  // every layer's before any runs
    const auto initial = [&](std::size_t i) { return h0.empty() ? matrix_ref<const value_type>() : h0.at(i); };
    ws.dropped_between_ = false;  // layer_input reads the outputs themselves until the loop is done
    first_.forward_unchecked(x, initial(0), ws.layers[0], lengths, training);
    const bool drop = training && dropout > 0;
    for (std::size_t i = 1; i < N; ++i) {
      sequence_ref<const value_type> input = ws.layers[i - 1].output_sequence();
      if (drop) input = ws.drop_between(i - 1, input, dropout, *training);
      upper_[i - 1].forward_unchecked(input, initial(i), ws.layers[i], ws.layers[0].lengths(), training);
    }
    ws.dropped_between_ = drop && N > 1;
  }

  /// backward() and backward_last() without their checks: the top layer's dLoss/dh_t is the sum of
  /// dh_all's step t (if given) and, at t = T, dh_last (if given).
  /// @param x the input sequence the last forward with ws ran on, (T, B, In).
  /// @param ws the workspace that forward filled; its dh0 (and dx if want_dx) are written.
  /// @param dh_all the top layer's dLoss/dh_t for every step (T, B, H), or empty.
  /// @param dh_last the top layer's dLoss/dh_T (B, H), or empty.
  /// @param want_dx whether to compute dLoss/dx into ws.
  /// @param consume_forward whether this is the forward's only backward (BaseRNNCell's).
  void backward_unchecked(detail::sequence_ref<const value_type> x, workspace& ws,
                          detail::sequence_ref<const value_type> dh_all, matrix_ref<const value_type> dh_last,
                          bool want_dx, bool consume_forward = false) {
    for (std::size_t i = N - 1; i > 0; --i) {
      upper_[i - 1].backward_unchecked(ws.layer_input(i - 1, ws.layers[i - 1].output_sequence()), ws.layers[i], dh_all,
                                       dh_last, true, consume_forward);
      dh_all = ws.gradient_below(i - 1, ws.layers[i].dx_sequence()), dh_last = {};
    }
    first_.backward_unchecked(x, ws.layers[0], dh_all, dh_last, want_dx, consume_forward);
  }
  ///@}

  /// The layers bottom-up, named "layer<i>" (composite.hpp).
  /// @tparam F a callable f(detail::part_name, cell&) for first_layer_type and upper_layer_type.
  /// @param f called for each layer, bottom first.
  template <class F>
  void for_each_part(F&& f) {
    f(detail::part_name{"layer", 0}, first_);
    for (std::size_t i = 1; i < N; ++i) f(detail::part_name{"layer", i}, upper_[i - 1]);
  }

 private:
  template <class Layer>
  static void checked_layer(std::size_t i, const Layer& layer) {
    try {
      layer.check_dropout_rates();
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(std::string(e.what()) + " (layer " + std::to_string(i) + ")");
    }
  }

  Cell first_;
  std::array<upper_layer_type, N - 1> upper_;
};

}  // namespace rnncell
