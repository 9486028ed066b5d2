#pragma once
/// @file
/// Bidirectional<Cell>: a forward and a reverse cell of the same type over the same sequence
/// (torch.nn.GRU(bidirectional=True), Keras' Bidirectional(GRU(...), merge_mode="concat")), with the
/// cells' sequence surface, so that Stacked<Bidirectional<Cell>, N> is PyTorch's
/// `bidirectional=True, num_layers=N` and a Model or SequenceModel takes it.
/// @code{.unparsed}
///   fwd reads x_1 .. x_L, bwd reads x_L .. x_1 (L: the sequence's length, T without lengths)
///   output_t    = [h_fwd_t | h_bwd_t]              (T, B, 2H); h_bwd_t is bwd's state after x_L .. x_t
///   final state = [h_fwd_L | h_bwd_1]              (B, 2H): what a Model's head reads (PyTorch's h_n
///                                                   of both directions, Keras' concat of both states)
///   h0, dh0, a state: [fwd's | bwd's]              (B, 2S), S = Cell::state_width
/// @endcode
/// With lengths the reverse direction starts at each sequence's own last step (what
/// pack_padded_sequence gives): its input is each sequence reversed within its length, kept in the
/// workspace. Past a sequence's length the forward half of the outputs holds its state at the
/// length (as a cell's outputs do) and the reverse half is zero (as pad_packed_sequence's).
/// The two directions run one after the other through the cells' own kernels, each with its own
/// input product: one product X [Wx_fwd | Wx_bwd] for both measured 0.90-1.01 of the two apart
/// (bench_joined_projection.cpp, bench/README.md), and the reverse direction would then need its
/// T * B * G projected rows reordered where it now reverses T * B * In inputs. The parameters are
/// named "fwd.<name>" and "bwd.<name>" (composite). A bidirectional layer cannot stream: the reverse
/// direction needs the whole sequence first (stream.hpp refuses it at compile time).
#include <rnncell/composite.hpp>
#include <rnncell/detail/lengths.hpp>
#include <rnncell/detail/matrix_ref.hpp>
#include <rnncell/detail/names.hpp>
#include <rnncell/detail/shapes.hpp>
#include <rnncell/detail/xtensor.hpp>
#include <rnncell/random.hpp>
#include <rnncell/workspace.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <vector>

namespace rnncell {

/// What a Bidirectional's forward keeps for its backward: each direction's sequence_workspace, the
/// reversed input, the joined outputs and the gradients; owned by the caller and reused across
/// batches (after the first call at the largest (T, B), nothing is allocated).
/// @tparam T the element type.
template <class T>
class bidirectional_workspace {
 public:
  sequence_workspace<T> fwd;  ///< the forward direction's
  sequence_workspace<T> bwd;  ///< the reverse direction's, over the reversed sequences

  /// The per-sequence lengths of the last forward (empty: every sequence had T steps).
  /// @return a view of them.
  step_lengths lengths() const { return fwd.lengths(); }
  /// Keeps the lengths for the next forward (B values in [1, T], checked by the caller).
  /// @param lengths the lengths.
  template <class R>
  void set_lengths(const R& lengths) {
    fwd.set_lengths(lengths);
  }
  /// The number of steps T of the last forward.
  /// @return T, 0 before any forward.
  std::size_t steps() const { return fwd.steps(); }
  /// The batch size B of the last forward.
  /// @return B, 0 before any forward.
  std::size_t batch() const { return fwd.batch(); }
  /// [h_fwd_t | h_bwd_t] for t = 1 .. T, shape (T, B, 2H).
  /// @return an xtensor view of the workspace's buffer, valid until the next forward with it.
  auto outputs() {
    join_outputs();
    return view(outputs_, {steps(), batch(), width_});
  }
  /// The final state's h parts [h_fwd_L | h_bwd_1], shape (B, 2H).
  /// @return an xtensor view of the workspace's buffer, valid until the next forward with it.
  auto last_output() { return view(last_, {batch(), width_}); }
  /// dLoss/dx after backward, shape (T, B, In).
  /// @return an xtensor view of the workspace's buffer, valid until the next forward with it.
  auto dx() { return view(dx_, {steps(), batch(), input_}); }
  /// dLoss/d(initial state) after backward, [fwd's | bwd's], shape (B, 2S).
  /// @return an xtensor view of the workspace's buffer, valid until the next forward with it.
  auto dh0() { return view(dh0_, {batch(), dh0_.size() / std::max<std::size_t>(batch(), 1)}); }

  /// The outputs as a sequence (the next layer's input), (T, B, 2H).
  /// @return a view of them.
  detail::sequence_ref<const T> output_sequence() const {
    join_outputs();
    return {outputs_.data(), steps(), batch(), width_};
  }
  /// The final state's h parts (B, 2H): what a head reads.
  /// @return a view of them.
  matrix_ref<const T> last_state() const { return {last_.data(), batch(), width_}; }
  /// dLoss/dx as a sequence (T, B, In): the dh of the layer below in a Stacked.
  /// @return a view of it.
  detail::sequence_ref<const T> dx_sequence() const { return {dx_.data(), steps(), batch(), input_}; }
  /// dLoss/d(initial state) (B, 2S).
  /// @return a view of it.
  matrix_ref<T> dh0_matrix() { return {dh0_.data(), batch(), dh0_.size() / std::max<std::size_t>(batch(), 1)}; }

 private:
  template <class>
  friend class Bidirectional;

  template <std::size_t N>
  static auto view(const std::vector<T>& buffer, const std::size_t (&shape)[N]) {
    std::array<std::size_t, N> s;
    std::size_t size = 1;
    for (std::size_t i = 0; i < N; ++i) size *= (s[i] = shape[i]);
    return xt::adapt(const_cast<T*>(buffer.data()), size, xt::no_ownership(), s);
  }

  /// Joins the two directions' outputs into outputs_ the first time they are asked for after a
  /// forward: output_t = [h_fwd_t | h_bwd_t], h_bwd_t being bwd's output at its step L-1-t (zero
  /// past L). A Model's head reads only the final state, so a classifier never pays for the join
  /// (T * B * 2H values written; the bidirectional train step at B 32 ran 2-4% faster without it at
  /// H = 50, 1% at H = 128: both builds of one benchmark, interleaved, on a Xeon with AVX-512).
  void join_outputs() const {
    if (outputs_joined_) return;
    const std::size_t steps = this->steps(), batch = this->batch(), H = width_ / 2;
    const step_lengths kept = fwd.lengths();
    outputs_.resize(steps * batch * width_);
    const detail::sequence_ref<const T> out_fwd = fwd.output_sequence(), out_bwd = bwd.output_sequence();
    for (std::size_t t = 0; t < steps; ++t)
      for (std::size_t b = 0; b < batch; ++b) {
        const std::size_t length = kept.empty() ? steps : kept[b];
        T* const to = outputs_.data() + (t * batch + b) * width_;
        std::copy_n(out_fwd.at(t).row(b), H, to);
        if (t < length)
          std::copy_n(out_bwd.at(length - 1 - t).row(b), H, to + H);
        else
          std::fill_n(to + H, H, T(0));
      }
    outputs_joined_ = true;
  }

  std::size_t input_ = 0, width_ = 0;  // In and 2H of the last forward
  std::vector<T> reversed_;            // (T, B, In): each sequence reversed within its length, zeros past it
  mutable std::vector<T> outputs_;     // (T, B, 2H), joined when first asked for (join_outputs)
  mutable bool outputs_joined_ = false;
  std::vector<T> last_;                // (B, 2H)
  std::vector<T> h0_fwd_, h0_bwd_;     // (B, S) each: the halves of a given h0, contiguous
  std::vector<T> dh_reversed_;         // (T, B, H): the reverse direction's dLoss/dh, in its own order
  std::vector<T> dx_;                  // (T, B, In)
  std::vector<T> dh0_;                 // (B, 2S)
};

/// A forward and a reverse cell of one type over the same sequence, outputs [h_fwd_t | h_bwd_t]:
/// the conventions are written out in bidirectional.hpp. The cells' sequence surface (forward,
/// backward, backward_last, and their unchecked forms), so Stacked, Model and SequenceModel take it.
/// @tparam Cell GRUCell (either variant), MGUCell or LSTMCell.
template <class Cell>
class Bidirectional : public composite<Bidirectional<Cell>> {
  static constexpr std::size_t H = Cell::hidden_width, S = Cell::state_width, In = Cell::input_width;

 public:
  using value_type = typename Cell::value_type;          ///< the element type
  using cell_type = Cell;                                 ///< each direction's cell
  using workspace = bidirectional_workspace<value_type>;  ///< what forward keeps for backward
  static constexpr std::size_t input_width = In;          ///< In, the width of each x_t
  static constexpr std::size_t hidden_width = 2 * H;      ///< 2H, the width of each output
  static constexpr std::size_t state_width = 2 * S;       ///< 2S, [fwd's state | bwd's state]
  /// The same layer over inputs of another width (Stacked's upper layers, which read 2H).
  /// @tparam NewIn the new input width.
  template <std::size_t NewIn>
  using with_input = Bidirectional<typename Cell::template with_input<NewIn>>;

  Cell fwd;  ///< the forward direction, part "fwd"
  Cell bwd;  ///< the reverse direction, part "bwd"

  /// Runs both directions over x (T, B, In) from zero states.
  /// @param x the input sequence, time-major (T, B, In), T and B at least 1.
  /// @param ws the caller's workspace, resized as needed; read ws.outputs(), ws.last_output().
  /// @throws std::invalid_argument if x is not (T, B, In) with T, B >= 1.
  void forward(const xt::xtensor<value_type, 3>& x, workspace& ws) const {
    detail::check_sequence<In>(x);
    forward_unchecked(detail::as_sequence(x), {}, ws);
  }

  /// Same, from the initial states h0 (B, 2S) = [fwd's | bwd's].
  /// @param x the input sequence (T, B, In), T and B at least 1.
  /// @param ws the caller's workspace, resized as needed.
  /// @param h0 the initial states (B, 2S).
  /// @throws std::invalid_argument if x is not (T, B, In) with T, B >= 1, or h0 not (B, 2S).
  void forward(const xt::xtensor<value_type, 3>& x, workspace& ws, const xt::xtensor<value_type, 2>& h0) const {
    detail::check_sequence<In>(x);
    detail::require_shape("h0", h0.shape(), std::array{x.shape(1), state_width}, "(B, state width)");
    forward_unchecked(detail::as_sequence(x), detail::as_matrix(h0), ws);
  }

  /// Runs both directions over a padded batch of sequences of different lengths: the reverse
  /// direction starts at each sequence's own last step.
  /// @param x the padded input sequences (T, B, In), T and B at least 1.
  /// @param ws the caller's workspace, resized as needed.
  /// @param lengths B integers in [1, T] (any contiguous range).
  /// @throws std::invalid_argument if x is not (T, B, In) or lengths are not B values in [1, T].
  template <length_range Lengths>
  void forward(const xt::xtensor<value_type, 3>& x, workspace& ws, const Lengths& lengths) const {
    detail::check_sequence<In>(x);
    detail::check_lengths(lengths, x.shape(0), x.shape(1));
    ws.set_lengths(lengths);
    forward_unchecked(detail::as_sequence(x), {}, ws, ws.lengths());
  }

  /// Same, from the initial states h0 (B, 2S).
  /// @param x the padded input sequences (T, B, In), T and B at least 1.
  /// @param ws the caller's workspace, resized as needed.
  /// @param h0 the initial states (B, 2S).
  /// @param lengths B integers in [1, T].
  /// @throws std::invalid_argument if x, h0 or lengths do not fit (T, B, In).
  template <length_range Lengths>
  void forward(const xt::xtensor<value_type, 3>& x, workspace& ws, const xt::xtensor<value_type, 2>& h0,
               const Lengths& lengths) const {
    detail::check_sequence<In>(x);
    detail::require_shape("h0", h0.shape(), std::array{x.shape(1), state_width}, "(B, state width)");
    detail::check_lengths(lengths, x.shape(0), x.shape(1));
    ws.set_lengths(lengths);
    forward_unchecked(detail::as_sequence(x), detail::as_matrix(h0), ws, ws.lengths());
  }

  /// Backward from dLoss/d(output_t) for every step, dh (T, B, 2H); accumulates into both cells'
  /// grads, leaves dLoss/dx (T, B, In) and dLoss/dh0 (B, 2S) in ws.
  /// @param x the input sequence the last forward with ws ran on, (T, B, In).
  /// @param ws the workspace that forward filled.
  /// @param dh dLoss/d(output_t) for t = 1 .. T, (T, B, 2H).
  /// @throws std::invalid_argument if x is not the shape forward saw or dh is not (T, B, 2H).
  void backward(const xt::xtensor<value_type, 3>& x, workspace& ws, const xt::xtensor<value_type, 3>& dh) {
    detail::check_backward_input<In>(x, ws);
    detail::require_shape("dh", dh.shape(), std::array{ws.steps(), ws.batch(), hidden_width}, "(T, B, 2H)");
    backward_unchecked(detail::as_sequence(x), ws, detail::as_sequence(dh), {}, true);
  }

  /// Backward when only the final state's h parts have a gradient, dh_last (B, 2H).
  /// @param x the input sequence the last forward with ws ran on, (T, B, In).
  /// @param ws the workspace that forward filled.
  /// @param dh_last dLoss/d[h_fwd_L | h_bwd_1], (B, 2H).
  /// @throws std::invalid_argument if x is not the shape forward saw or dh_last is not (B, 2H).
  void backward_last(const xt::xtensor<value_type, 3>& x, workspace& ws, const xt::xtensor<value_type, 2>& dh_last) {
    detail::check_backward_input<In>(x, ws);
    detail::require_shape("dh_last", dh_last.shape(), std::array{ws.batch(), hidden_width}, "(B, 2H)");
    backward_unchecked(detail::as_sequence(x), ws, {}, detail::as_matrix(dh_last), true);
  }

  /// Both directions' check of their dropout rates (BaseRNNCell::check_dropout_rates).
  void check_dropout_rates() const {
    fwd.check_dropout_rates();
    bwd.check_dropout_rates();
  }

  /// @name Unchecked calls
  /// The checked calls' work, shapes trusted (as BaseRNNCell's); an empty h0 means zeros.
  ///@{

  /// forward() without its checks.
  /// @param x the input sequence (T, B, In).
  /// @param h0 the initial states (B, 2S), or empty for zeros.
  /// @param ws the caller's workspace, resized as needed.
  /// @param lengths B lengths in [1, T], or empty for T each.
  /// @param training the generator of a training forward, or null for inference: each direction
  ///        draws its own dropout masks from it (fwd's, then bwd's), as Keras' Bidirectional's two
  ///        layers do; a per-sequence mask is the same for the sequence reversed.
  /// @throws std::invalid_argument in training if a direction's dropout rate is not in [0, 1).
  void forward_unchecked(detail::sequence_ref<const value_type> x, matrix_ref<const value_type> h0, workspace& ws,
                         step_lengths lengths = {}, rng* training = nullptr) const {
    if (training) check_dropout_rates();  // both directions' before either runs
    const std::size_t steps = x.steps, batch = x.batch;
    ws.input_ = In;
    ws.width_ = 2 * H;
    ws.dx_.resize(steps * batch * In);  // sized here, as a cell's workspace sizes its own in forward
    ws.dh0_.resize(batch * 2 * S);
    ws.fwd.set_lengths(lengths);  // (a no-op when lengths are ws's own: the checked calls, Stacked)
    const step_lengths kept = ws.fwd.lengths();
    const auto length = [&](std::size_t b) { return kept.empty() ? steps : kept[b]; };
    // Each sequence reversed within its length: step t of bwd reads x_{L-1-t}.
    ws.reversed_.resize(steps * batch * In);
    for (std::size_t t = 0; t < steps; ++t)
      for (std::size_t b = 0; b < batch; ++b) {
        value_type* const to = ws.reversed_.data() + (t * batch + b) * In;
        if (t < length(b))
          std::copy_n(x.at(length(b) - 1 - t).row(b), In, to);
        else
          std::fill_n(to, In, value_type(0));
      }
    const detail::sequence_ref<const value_type> reversed{ws.reversed_.data(), steps, batch, In};
    matrix_ref<const value_type> h0_fwd, h0_bwd;
    if (!h0.empty()) {
      ws.h0_fwd_.resize(batch * S);
      ws.h0_bwd_.resize(batch * S);
      for (std::size_t b = 0; b < batch; ++b) {
        std::copy_n(h0.row(b), S, ws.h0_fwd_.data() + b * S);
        std::copy_n(h0.row(b) + S, S, ws.h0_bwd_.data() + b * S);
      }
      h0_fwd = {ws.h0_fwd_.data(), batch, S};
      h0_bwd = {ws.h0_bwd_.data(), batch, S};
    }
    fwd.forward_unchecked(x, h0_fwd, ws.fwd, kept, training);
    bwd.forward_unchecked(reversed, h0_bwd, ws.bwd, kept, training);

    ws.outputs_joined_ = false;  // the outputs are joined when asked for (join_outputs)
    ws.last_.resize(batch * 2 * H);
    const matrix_ref<const value_type> last_fwd = ws.fwd.last_state(), last_bwd = ws.bwd.last_state();
    for (std::size_t b = 0; b < batch; ++b) {
      std::copy_n(last_fwd.row(b), H, ws.last_.data() + b * 2 * H);
      std::copy_n(last_bwd.row(b), H, ws.last_.data() + b * 2 * H + H);
    }
  }

  /// backward() and backward_last() without their checks: dLoss/d(output_t) is dh_all's step t (if
  /// given) plus, for the final state, dh_last (if given). The forward's lengths apply.
  /// @param x the input sequence the last forward with ws ran on, (T, B, In).
  /// @param ws the workspace that forward filled; its dh0 (and dx if want_dx) are written.
  /// @param dh_all dLoss/d(output_t) for every step (T, B, 2H), or empty.
  /// @param dh_last dLoss/d(final state's h parts) (B, 2H), or empty.
  /// @param want_dx whether to compute dLoss/dx into ws.
  /// @param consume_forward whether this is the forward's only backward (BaseRNNCell's).
  void backward_unchecked(detail::sequence_ref<const value_type> x, workspace& ws,
                          detail::sequence_ref<const value_type> dh_all, matrix_ref<const value_type> dh_last,
                          bool want_dx, bool consume_forward = false) {
    const std::size_t steps = ws.steps(), batch = ws.batch();
    const step_lengths kept = ws.fwd.lengths();
    const auto length = [&](std::size_t b) { return kept.empty() ? steps : kept[b]; };
    // The reverse direction first: its forward ran last, so more of its workspace is still in cache
    // (A/B in one run at 1 x 50 and 1 x 128: the bidirectional step 0-4% faster, about this VM's noise).
    // Its gradients, put in its own step order (nothing past a sequence's length: its outputs there
    // are zeros, which depend on nothing).
    detail::sequence_ref<const value_type> dh_bwd;
    if (!dh_all.empty()) {
      ws.dh_reversed_.resize(steps * batch * H);
      for (std::size_t t = 0; t < steps; ++t)
        for (std::size_t b = 0; b < batch; ++b) {
          value_type* const to = ws.dh_reversed_.data() + (t * batch + b) * H;
          if (t < length(b))
            std::copy_n(dh_all.at(length(b) - 1 - t).row(b) + H, H, to);
          else
            std::fill_n(to, H, value_type(0));
        }
      dh_bwd = {ws.dh_reversed_.data(), steps, batch, H};
    }
    const detail::sequence_ref<const value_type> reversed{ws.reversed_.data(), steps, batch, In};
    bwd.backward_unchecked(reversed, ws.bwd, dh_bwd, dh_last.empty() ? dh_last : dh_last.block(H, H), want_dx,
                           consume_forward);
    // The forward direction reads the first H columns of the gradients in place.
    const detail::sequence_ref<const value_type> dh_fwd =
        dh_all.empty() ? dh_all : detail::sequence_ref<const value_type>{dh_all.data, steps, batch, H, dh_all.stride};
    fwd.backward_unchecked(x, ws.fwd, dh_fwd, dh_last.empty() ? dh_last : dh_last.block(0, H), want_dx,
                           consume_forward);

    const matrix_ref<value_type> d_fwd = ws.fwd.dh0_matrix(), d_bwd = ws.bwd.dh0_matrix();
    for (std::size_t b = 0; b < batch; ++b) {
      std::copy_n(d_fwd.row(b), S, ws.dh0_.data() + b * 2 * S);
      std::copy_n(d_bwd.row(b), S, ws.dh0_.data() + b * 2 * S + S);
    }
    if (want_dx) {
      // dL/dx_s = fwd's dx_s + bwd's dx at its step L-1-s.
      const detail::sequence_ref<const value_type> dx_fwd = ws.fwd.dx_sequence(), dx_bwd = ws.bwd.dx_sequence();
      for (std::size_t s = 0; s < steps; ++s)
        for (std::size_t b = 0; b < batch; ++b) {
          value_type* const to = ws.dx_.data() + (s * batch + b) * In;
          const value_type* const from_fwd = dx_fwd.at(s).row(b);
          if (s < length(b)) {
            const value_type* const from_bwd = dx_bwd.at(length(b) - 1 - s).row(b);
            for (std::size_t i = 0; i < In; ++i) to[i] = from_fwd[i] + from_bwd[i];
          } else {
            std::copy_n(from_fwd, In, to);
          }
        }
    }
  }
  ///@}

  /// The two directions, named "fwd" and "bwd" (composite.hpp).
  /// @tparam F a callable f(detail::part_name, Cell&).
  /// @param f called for fwd, then bwd.
  template <class F>
  void for_each_part(F&& f) {
    f(detail::part_name{"fwd"}, fwd);
    f(detail::part_name{"bwd"}, bwd);
  }
};

}  // namespace rnncell
