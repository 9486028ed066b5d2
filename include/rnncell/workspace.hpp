#pragma once
/// @file
/// What a cell's forward pass keeps for its backward pass, owned by the caller and reused across
/// batches. Buffers are std::vector so that a smaller (T, B) reuses the memory of a larger one:
/// after the first call at the largest shape, forward and backward allocate nothing.
/// The workspace alone knows where step t lives in its buffers: BaseRNNCell asks it for the typed
/// views of the cell contract (cell_contract.hpp) and never computes an offset itself.
#include <rnncell/cell_contract.hpp>
#include <rnncell/detail/matrix_ref.hpp>
#include <rnncell/detail/xtensor.hpp>

#include <array>
#include <cstddef>
#include <vector>

namespace rnncell {

/// The widths a cell's buffers need: input In, hidden H, G gate blocks, S saved blocks.
struct cell_layout {
  /// @var input
  /// In, the width of each x_t.
  /// @var hidden
  /// H, the width of each h_t and of each gate or saved block.
  /// @var gates
  /// G, the gate blocks per step.
  /// @var saved_blocks
  /// S, the (B, H) blocks per step the cell keeps for backward besides the gates.
  std::size_t input, hidden, gates, saved_blocks;
  /// Whether the cell needs a recurrent-side gradient buffer (Cell::separate_recurrent_grad).
  bool separate_recurrent_grad;
};

/// What a cell's forward keeps for its backward (gate activations, states, saved blocks) and
/// the gradients backward leaves for the caller (dx, dh0), owned by the caller and reused across
/// batches: after the first call at the largest (T, B), nothing is allocated. The xtensor views it
/// returns read its buffers in place and stay valid until the next forward with it.
/// @tparam T the element type.
template <class T>
class sequence_workspace {
 public:
  /// The number of steps T of the last forward.
  /// @return T, 0 before any forward.
  std::size_t steps() const { return steps_; }
  /// The batch size B of the last forward.
  /// @return B, 0 before any forward.
  std::size_t batch() const { return batch_; }

  /// Hidden states h_1 .. h_T, shape (T, B, H).
  /// @return an xtensor view of the workspace's buffer, valid until the next forward with it.
  auto outputs() { return view(states_.data() + batch_ * layout_.hidden, {steps_, batch_, layout_.hidden}); }
  /// The last hidden state h_T, shape (B, H).
  /// @return an xtensor view of the workspace's buffer, valid until the next forward with it.
  auto last_output() { return view(last_state().data, {batch_, layout_.hidden}); }
  /// dLoss/dx after backward, shape (T, B, In) (left untouched by a backward that skips dx).
  /// @return an xtensor view of the workspace's buffer, valid until the next forward with it.
  auto dx() { return view(dx_.data(), {steps_, batch_, layout_.input}); }
  /// dLoss/dh0 after backward, shape (B, H).
  /// @return an xtensor view of the workspace's buffer, valid until the next forward with it.
  auto dh0() { return view(dh0_.data(), {batch_, layout_.hidden}); }

  // ---- The views BaseRNNCell and the composites work with --------------------------------------

  /// Sizes every buffer for (steps, batch); allocates only when a buffer must grow.
  /// @param steps T.
  /// @param batch B.
  /// @param layout the cell's widths.
  void prepare(std::size_t steps, std::size_t batch, const cell_layout& layout) {
    steps_ = steps, batch_ = batch, layout_ = layout;
    const std::size_t rows = steps * batch, gh = layout.gates * layout.hidden;
    gates_.resize(rows * gh);
    states_.resize((steps + 1) * batch * layout.hidden);
    saved_.resize(rows * layout.saved_blocks * layout.hidden);
    scratch_.resize(batch * gh);
    d_input_.resize(rows * gh);
    d_recurrent_.resize(layout.separate_recurrent_grad ? rows * gh : 0);
    for (auto& carry : gradient_carry_) carry.resize(batch * layout.hidden);
    dh0_.resize(batch * layout.hidden);
    dx_.resize(rows * layout.input);
  }

  /// The gate buffer of every step as one (T*B, G*H) matrix: X Wx is written here in one product.
  /// @return a view of it.
  matrix_ref<T> all_gates() { return {gates_.data(), rows(), gate_width()}; }
  /// h_0 (B, H), set before the first step.
  /// @return a view of it.
  matrix_ref<T> initial_state() { return {states_.data(), batch_, layout_.hidden}; }
  /// h_1 .. h_T as a sequence (the next layer's input).
  /// @return a view of them, (T, B, H).
  sequence_ref<const T> output_sequence() const {
    return {states_.data() + batch_ * layout_.hidden, steps_, batch_, layout_.hidden};
  }
  /// h_T (B, H).
  /// @return a view of it.
  matrix_ref<const T> last_state() const { return state(steps_); }

  /// Step t's forward views (t = 0 .. T-1 computes h_{t+1} from h_t).
  /// @param t the step, 0 .. T-1.
  /// @return the views step_forward reads and writes.
  step_buffers<T> forward_step(std::size_t t) {
    return {state(t), gates_at(t), saved_at(t), state_mut(t + 1), scratch()};
  }
  /// Step t's backward views, dh and dh_prev being the two gradient carries in their current roles.
  /// @param t the step, 0 .. T-1.
  /// @param dh dL/dh_{t+1} (B, H), read.
  /// @param dh_prev where step_backward writes dL/dh_t (B, H).
  /// @return the views step_backward reads and writes.
  step_gradients<T> backward_step(std::size_t t, matrix_ref<const T> dh, matrix_ref<T> dh_prev) {
    matrix_ref<T> d_recurrent;
    if (layout_.separate_recurrent_grad) d_recurrent = {d_recurrent_.data() + t * batch_ * gate_width(), batch_, gate_width()};
    return {state(t), gates_at(t), saved_at(t), dh, {d_input_.data() + t * batch_ * gate_width(), batch_, gate_width()},
            d_recurrent, dh_prev, scratch()};
  }
  /// Two (B, H) buffers that carry dL/dh from step to step in backward, alternating roles.
  /// @param which 0 or 1.
  /// @return a view of that buffer.
  matrix_ref<T> gradient_carry(std::size_t which) { return {gradient_carry_[which].data(), batch_, layout_.hidden}; }

  /// Every step at once, for the recurrent weight gradients.
  /// @return the (T*B, width) views accumulate_recurrent_grads reads.
  sequence_gradients<T> all_steps() const {
    matrix_ref<const T> d_recurrent;
    if (layout_.separate_recurrent_grad) d_recurrent = {d_recurrent_.data(), rows(), gate_width()};
    return {{states_.data(), rows(), layout_.hidden},
            {saved_.data(), rows(), layout_.saved_blocks * layout_.hidden},
            {d_input_.data(), rows(), gate_width()},
            d_recurrent};
  }
  /// dL/dh0 (B, H), written at the end of backward.
  /// @return a view of it.
  matrix_ref<T> dh0_matrix() { return {dh0_.data(), batch_, layout_.hidden}; }
  /// dL/dX (T*B, In), written at the end of backward.
  /// @return a view of it, all steps' rows stacked.
  matrix_ref<T> dx_matrix() { return {dx_.data(), rows(), layout_.input}; }
  /// n values of scratch for a cell's real-time step (BaseRNNCell::step), kept apart from the
  /// sequence buffers; grows only when n exceeds what it had.
  /// @param n how many values.
  /// @return the first of them.
  T* step_scratch(std::size_t n) {
    if (step_scratch_.size() < n) step_scratch_.resize(n);
    return step_scratch_.data();
  }
  /// dL/dX as a sequence (T, B, In): the dh of the layer below in a Stacked.
  /// @return a view of it.
  sequence_ref<const T> dx_sequence() const { return {dx_.data(), steps_, batch_, layout_.input}; }

 private:
  template <std::size_t N>
  static auto view(const T* data, const std::size_t (&shape)[N]) {
    std::array<std::size_t, N> s;
    std::size_t size = 1;
    for (std::size_t i = 0; i < N; ++i) size *= (s[i] = shape[i]);
    return xt::adapt(const_cast<T*>(data), size, xt::no_ownership(), s);
  }

  std::size_t rows() const { return steps_ * batch_; }
  std::size_t gate_width() const { return layout_.gates * layout_.hidden; }
  matrix_ref<const T> state(std::size_t t) const { return {states_.data() + t * batch_ * layout_.hidden, batch_, layout_.hidden}; }
  matrix_ref<T> state_mut(std::size_t t) { return {states_.data() + t * batch_ * layout_.hidden, batch_, layout_.hidden}; }
  matrix_ref<T> gates_at(std::size_t t) { return {gates_.data() + t * batch_ * gate_width(), batch_, gate_width()}; }
  matrix_ref<T> saved_at(std::size_t t) {
    const std::size_t width = layout_.saved_blocks * layout_.hidden;
    return {saved_.data() + t * batch_ * width, batch_, width};
  }
  matrix_ref<T> scratch() { return {scratch_.data(), batch_, gate_width()}; }

  std::size_t steps_ = 0, batch_ = 0;
  cell_layout layout_{};
  std::vector<T> gates_;        // (T, B, G*H): x Wx per step, then the gate activations
  std::vector<T> states_;       // (T+1, B, H): h_0 .. h_T
  std::vector<T> saved_;        // (T, B, S*H): what a cell keeps besides gates (e.g. r*h)
  std::vector<T> scratch_;      // (B, G*H): the cell's per-step scratch
  std::vector<T> d_input_;      // (T, B, G*H): dL/d(pre-activation) on the input side
  std::vector<T> d_recurrent_;  // (T, B, G*H): same on the recurrent side, where the cell's differ
  std::array<std::vector<T>, 2> gradient_carry_;  // (B, H) each: dL/dh_t and dL/dh_{t-1}
  std::vector<T> dh0_;          // (B, H)
  std::vector<T> dx_;           // (T, B, In)
  std::vector<T> step_scratch_;  // the real-time step's (B, cell's realtime_scratch)
};

}  // namespace rnncell
