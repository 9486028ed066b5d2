#pragma once
/// @file
/// What a cell's forward pass keeps for its backward pass, owned by the caller and reused across
/// batches. Buffers are std::vector so that a smaller (T, B) reuses the memory of a larger one:
/// after the first call at the largest shape, forward and backward allocate nothing.
/// The workspace alone knows where step t lives in its buffers: BaseRNNCell asks it for the typed
/// views of the cell contract (cell_contract.hpp) and never computes an offset itself.
#include <rnncell/cell_contract.hpp>
#include <rnncell/detail/aligned_buffer.hpp>
#include <rnncell/detail/lengths.hpp>
#include <rnncell/detail/matrix_ref.hpp>
#include <rnncell/detail/xtensor.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <vector>

namespace rnncell {

/// The widths a cell's buffers need: input In, hidden H, G gate blocks, S saved blocks, and the
/// state's blocks (1: the state is h; 2: LSTM's [h | c]).
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
  /// R, the (B, H) blocks per step of recurrent-side gradients (Cell::recurrent_grad_blocks).
  std::size_t recurrent_grad_blocks;
  /// The state's width in blocks of H: [h | extra], h (the output) first (Cell::state_blocks).
  std::size_t state_blocks = 1;
  /// Whether a backward that consumes its forward writes d_input over the gates
  /// (Cell::backward_overwrites_gates).
  bool d_input_over_gates = false;
  /// The state's width, state_blocks * H.
  /// @return state_blocks * hidden.
  constexpr std::size_t state_width() const { return state_blocks * hidden; }
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
  /// The per-sequence lengths of the last forward (empty: every sequence had T steps).
  /// @return a view of them, valid until the next forward with this workspace.
  step_lengths lengths() const { return lengths_; }
  /// The steps the last forward computed: the longest length (T without lengths). Past it every
  /// state equals the one before; backward computes nothing there either.
  /// @return max(lengths), or T.
  std::size_t active_steps() const { return active_steps_; }

  /// Hidden states h_1 .. h_T, shape (T, B, H) (the h part of each state).
  /// @return an xtensor view of the workspace's buffer, valid until the next forward with it.
  auto outputs() {
    return xt::view(view(states_.data() + batch_ * state_width(), {steps_, batch_, state_width()}), xt::all(),
                    xt::all(), h_columns());
  }
  /// The last hidden state h_T, shape (B, H).
  /// @return an xtensor view of the workspace's buffer, valid until the next forward with it.
  auto last_output() { return xt::view(view(state(steps_).data, {batch_, state_width()}), xt::all(), h_columns()); }
  /// The whole last state (h_T, and c_T for LSTM), shape (B, state width).
  /// @return an xtensor view of the workspace's buffer, valid until the next forward with it.
  auto final_state() { return view(state(steps_).data, {batch_, state_width()}); }
  /// dLoss/dx after backward, shape (T, B, In) (left untouched by a backward that skips dx).
  /// @return an xtensor view of the workspace's buffer, valid until the next forward with it.
  auto dx() { return view(dx_.data(), {steps_, batch_, layout_.input}); }
  /// dLoss/d(initial state) after backward, shape (B, state width): dL/dh0 (and dL/dc0 for LSTM).
  /// @return an xtensor view of the workspace's buffer, valid until the next forward with it.
  auto dh0() { return view(dh0_.data(), {batch_, state_width()}); }

  // ---- The views BaseRNNCell and the composites work with --------------------------------------

  /// Sizes every buffer for (steps, batch); allocates only when a buffer must grow.
  /// @param steps T.
  /// @param batch B.
  /// @param layout the cell's widths.
  void prepare(std::size_t steps, std::size_t batch, const cell_layout& layout) {
    steps_ = steps, batch_ = batch, layout_ = layout, active_steps_ = steps;
    const std::size_t rows = steps * batch, gh = layout.gates * layout.hidden;
    gates_.resize(rows * gh);
    states_.resize((steps + 1) * batch * layout.state_width());
    saved_.resize(rows * layout.saved_blocks * layout.hidden);
    scratch_.resize(batch * gh);
    // Where d_input may take the gates' place, its own buffer is sized by a backward that keeps
    // the forward (begin_backward), and only ever grown: no zeroing in a training step.
    if (!layout.d_input_over_gates) d_input_.resize(rows * gh);
    d_recurrent_.resize(rows * layout.recurrent_grad_blocks * layout.hidden);
    for (auto& carry : gradient_carry_) carry.resize(batch * layout.state_width());
    dh0_.resize(batch * layout.state_width());
    dx_.resize(rows * layout.input);
  }

  /// Keeps the per-sequence lengths (B values in [1, T], trusted; empty: all T) for this forward
  /// and its backward; call after prepare(). Allocates only when B grows.
  /// @param lengths the lengths, or empty.
  void set_lengths(step_lengths lengths) {
    if (lengths.data() != lengths_.data()) lengths_.assign(lengths.begin(), lengths.end());
    active_steps_ = lengths_.empty() ? steps_ : *std::max_element(lengths_.begin(), lengths_.end());
  }
  /// Copies lengths of any integer type in (checked by the caller), for the checked calls.
  /// @param lengths B values in [1, T].
  template <length_range R>
  void set_lengths(const R& lengths) {
    lengths_.resize(std::ranges::size(lengths));
    std::ranges::transform(lengths, lengths_.begin(), [](auto n) { return static_cast<std::size_t>(n); });
    set_lengths(step_lengths(lengths_));
  }

  /// The gate buffer of the active steps as one (active*B, G*H) matrix: X Wx is written here in
  /// one product.
  /// @return a view of it.
  matrix_ref<T> all_gates() { return {gates_.data(), active_steps_ * batch_, gate_width()}; }
  /// The initial state (B, state width), set before the first step.
  /// @return a view of it.
  matrix_ref<T> initial_state() { return state_mut(0); }
  /// h_1 .. h_T as a sequence (the next layer's input): the h part of each state.
  /// @return a view of them, (T, B, H), rows a state width apart.
  sequence_ref<const T> output_sequence() const {
    return {states_.data() + batch_ * state_width(), steps_, batch_, layout_.hidden, state_width()};
  }
  /// h_T (B, H), the h part of the last state: what a head reads.
  /// @return a view of it.
  matrix_ref<const T> last_state() const { return state(steps_).block(0, layout_.hidden); }
  /// The whole last state (B, state width).
  /// @return a view of it.
  matrix_ref<const T> final_state_matrix() const { return state(steps_); }

  /// Step t's forward views (t = 0 .. T-1 computes h_{t+1} from h_t).
  /// @param t the step, 0 .. T-1.
  /// @return the views step_forward reads and writes.
  step_buffers<T> forward_step(std::size_t t) {
    return {state(t), recurrent_input(t), gates_at(t), saved_at(t), state_mut(t + 1), scratch(), packed_begin_};
  }
  /// After step_forward of step t: a sequence that has ended by then keeps its state,
  /// state_{t+1} = state_t (variable lengths, set_lengths).
  /// @param s step t's forward views.
  /// @param t the step.
  void hold_finished_states(const step_buffers<T>& s, std::size_t t) const {
    for (std::size_t b = 0; b < lengths_.size(); ++b)
      if (lengths_[b] <= t) std::copy(s.h_prev.row(b), s.h_prev.row(b) + s.h_prev.cols, s.h.row(b));
  }
  /// After step_backward of step t: for a sequence that has ended by then, state_{t+1} = state_t,
  /// so dL/dstate_t = dL/dstate_{t+1}, and the step's pre-activations get no gradient.
  /// @param s step t's backward views.
  /// @param t the step.
  void pass_finished_gradients(const step_gradients<T>& s, std::size_t t) const {
    for (std::size_t b = 0; b < lengths_.size(); ++b) {
      if (lengths_[b] > t) continue;
      std::copy(s.dh.row(b), s.dh.row(b) + s.dh.cols, s.dh_prev.row(b));
      std::fill(s.d_input.row(b), s.d_input.row(b) + s.d_input.cols, T(0));
      if (!s.d_recurrent.empty()) std::fill(s.d_recurrent.row(b), s.d_recurrent.row(b) + s.d_recurrent.cols, T(0));
    }
  }
  /// Step t's backward views, dh and dh_prev being the two gradient carries in their current roles.
  /// @param t the step, 0 .. T-1.
  /// @param dh dL/dh_{t+1} (B, H), read.
  /// @param dh_prev where step_backward writes dL/dh_t (B, H).
  /// @return the views step_backward reads and writes.
  step_gradients<T> backward_step(std::size_t t, matrix_ref<const T> dh, matrix_ref<T> dh_prev) {
    const std::size_t r_width = recurrent_grad_width();
    return {state(t), recurrent_input(t), recurrent_mask(), gates_at(t), saved_at(t), dh,
            {d_input_begin() + t * batch_ * gate_width(), batch_, gate_width()},
            {d_recurrent_.data() + t * batch_ * r_width, r_width == 0 ? 0 : batch_, r_width}, dh_prev, scratch(),
            packed_begin_};
  }
  /// Where this backward's d_input goes: over the forward's gates, where the cell's layout allows
  /// it (d_input_over_gates) and the backward consumes its forward (the forward's only backward);
  /// otherwise its own buffer, so that the forward serves another backward. Allocates only when
  /// that buffer must grow.
  /// @param consume_forward whether no other backward will read this forward.
  void begin_backward(bool consume_forward) {
    d_input_in_gates_ = consume_forward && layout_.d_input_over_gates;
    if (!d_input_in_gates_ && d_input_.size() < rows() * gate_width()) d_input_.resize(rows() * gate_width());
  }
  /// Makes room for this forward's dropout masks and clears what an earlier forward drew: call
  /// after prepare(), with whether this forward drops inputs and recurrent states; the masks are
  /// then written through input_mask() and recurrent_mask(). Allocates only when a buffer grows.
  /// @param input whether an input mask (B, In) applies, with its masked copy of the input.
  /// @param recurrent whether a recurrent mask (B, H) applies, with the masked states.
  void set_dropout(bool input, bool recurrent) {
    has_input_mask_ = input, has_recurrent_mask_ = recurrent;
    if (input) {
      input_mask_.resize(batch_ * layout_.input);
      dropped_input_.resize(rows() * layout_.input);
    }
    if (recurrent) {
      recurrent_mask_.resize(batch_ * layout_.hidden);
      dropped_states_.resize(rows() * layout_.hidden);
    }
  }
  /// The last forward's input dropout mask (B, In): 0 or 1 / (1 - p) per value, the same at every
  /// step; empty when that forward dropped no input.
  /// @return a view of it.
  matrix_ref<T> input_mask() {
    return has_input_mask_ ? matrix_ref<T>(input_mask_.data(), batch_, layout_.input) : matrix_ref<T>();
  }
  /// The last forward's recurrent dropout mask (B, H) on h where it enters the recurrent
  /// products; empty when that forward dropped none.
  /// @return a view of it.
  matrix_ref<const T> recurrent_mask() const {
    return has_recurrent_mask_ ? matrix_ref<const T>(recurrent_mask_.data(), batch_, layout_.hidden)
                               : matrix_ref<const T>();
  }
  /// The same, writable (the forward draws it).
  /// @return a view of it.
  matrix_ref<T> recurrent_mask() {
    return has_recurrent_mask_ ? matrix_ref<T>(recurrent_mask_.data(), batch_, layout_.hidden) : matrix_ref<T>();
  }
  /// The input times the input mask, the active steps' rows (active*B, In): what X Wx and dWx read
  /// when inputs are dropped.
  /// @return a view of it.
  matrix_ref<T> dropped_input() { return {dropped_input_.data(), active_steps_ * batch_, layout_.input}; }
  /// Step t's h times the recurrent mask (B, H), written by the forward before step t's math.
  /// @param t the step, 0 .. T-1.
  /// @return a view of it.
  matrix_ref<T> dropped_state(std::size_t t) {
    return {dropped_states_.data() + t * batch_ * layout_.hidden, batch_, layout_.hidden};
  }

  /// Room for packed weights (kernels/small_gemm.hpp): first the base's input weights, then the
  /// cell's recurrent weights, which every step view points to; allocates only when it must grow.
  /// @param input_count how many values the base packs (Wx and Wx^T), a multiple of 16 values.
  /// @param cell_count how many values the cell packs (Cell::packed_size, or 0).
  /// @return the first of them, 64-byte aligned (the kernels load whole aligned vectors); the
  ///         cell's part starts input_count values later.
  T* packed_weights(std::size_t input_count, std::size_t cell_count) {
    T* const first = packed_.get(input_count + cell_count);
    packed_begin_ = first + input_count;
    return first;
  }
  /// Two (B, H) buffers that carry dL/dh from step to step in backward, alternating roles.
  /// @param which 0 or 1.
  /// @return a view of that buffer.
  matrix_ref<T> gradient_carry(std::size_t which) { return {gradient_carry_[which].data(), batch_, state_width()}; }

  /// Every active step at once, for the weight gradients.
  /// @return the (active*B, width) views accumulate_recurrent_grads reads.
  sequence_gradients<T> all_steps() const {
    const std::size_t rows = active_steps_ * batch_;
    const std::size_t r_width = recurrent_grad_width();
    const matrix_ref<const T> h_recurrent =
        has_recurrent_mask_ ? matrix_ref<const T>(dropped_states_.data(), rows, layout_.hidden)
                            : matrix_ref<const T>(states_.data(), rows, layout_.hidden, state_width());
    return {{states_.data(), rows, state_width()},
            h_recurrent,
            {saved_.data(), rows, layout_.saved_blocks * layout_.hidden},
            {d_input_begin(), rows, gate_width()},
            {d_recurrent_.data(), r_width == 0 ? 0 : rows, r_width}};
  }
  /// dL/d(initial state) (B, state width), written at the end of backward.
  /// @return a view of it.
  matrix_ref<T> dh0_matrix() { return {dh0_.data(), batch_, state_width()}; }
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
  // The h columns of a state row [h | extra]. (Not xt::adapt with strides: xtensor 0.24 resizes an
  // adaptor given strides to the product of its shape, which throws for a buffer it does not own
  // whenever the state is wider than h.)
  auto h_columns() const { return xt::range(std::size_t(0), layout_.hidden); }

  std::size_t rows() const { return steps_ * batch_; }
  std::size_t gate_width() const { return layout_.gates * layout_.hidden; }
  // d_recurrent's width, R*H; its views get 0 rows where R = 0, so that they are empty().
  std::size_t recurrent_grad_width() const { return layout_.recurrent_grad_blocks * layout_.hidden; }
  std::size_t state_width() const { return layout_.state_width(); }
  matrix_ref<const T> state(std::size_t t) const { return {states_.data() + t * batch_ * state_width(), batch_, state_width()}; }
  matrix_ref<T> state_mut(std::size_t t) { return {states_.data() + t * batch_ * state_width(), batch_, state_width()}; }
  matrix_ref<T> gates_at(std::size_t t) { return {gates_.data() + t * batch_ * gate_width(), batch_, gate_width()}; }
  // Where this backward's d_input rows (T*B, G*H) live (begin_backward).
  T* d_input_begin() { return d_input_in_gates_ ? gates_.data() : d_input_.data(); }
  const T* d_input_begin() const { return d_input_in_gates_ ? gates_.data() : d_input_.data(); }
  matrix_ref<T> saved_at(std::size_t t) {
    const std::size_t width = layout_.saved_blocks * layout_.hidden;
    return {saved_.data() + t * batch_ * width, batch_, width};
  }
  matrix_ref<T> scratch() { return {scratch_.data(), batch_, gate_width()}; }
  // What step t's recurrent products read: h_t, or h_t times the recurrent mask.
  matrix_ref<const T> recurrent_input(std::size_t t) const {
    if (has_recurrent_mask_) return {dropped_states_.data() + t * batch_ * layout_.hidden, batch_, layout_.hidden};
    return state(t).block(0, layout_.hidden);
  }

  std::size_t steps_ = 0, batch_ = 0, active_steps_ = 0;
  cell_layout layout_{};
  std::vector<std::size_t> lengths_;  // (B) or empty
  std::vector<T> gates_;        // (T, B, G*H): x Wx per step, then the gate activations
  std::vector<T> states_;       // (T+1, B, state width): the states 0 .. T, h first in each row
  std::vector<T> saved_;        // (T, B, S*H): what a cell keeps besides gates (e.g. r*h)
  std::vector<T> scratch_;      // (B, G*H): the cell's per-step scratch
  std::vector<T> d_input_;      // (T, B, G*H): dL/d(pre-activation) on the input side, unless
                                // this backward writes it over gates_ (begin_backward)
  bool d_input_in_gates_ = false;
  std::vector<T> d_recurrent_;  // (T, B, R*H): the recurrent side's, where the cell's differ
  std::array<std::vector<T>, 2> gradient_carry_;  // (B, state width) each: dL/dstate_t and _{t-1}
  std::vector<T> dh0_;          // (B, state width)
  std::vector<T> dx_;           // (T, B, In)
  detail::aligned_buffer<T> packed_;  // the packed weights: the base's, then the cell's from packed_begin_
  T* packed_begin_ = nullptr;
  std::vector<T> step_scratch_;  // the real-time step's (B, cell's realtime_scratch)
  // Dropout (a training forward only): the masks, the input times its mask (T, B, In) and every
  // step's h times the recurrent mask (T, B, H), which dWx and dWh read in backward.
  bool has_input_mask_ = false, has_recurrent_mask_ = false;
  std::vector<T> input_mask_, recurrent_mask_, dropped_input_, dropped_states_;
};

}  // namespace rnncell
