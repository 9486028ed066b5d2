#pragma once
/// @file
/// The contract between BaseRNNCell (the sequence loops) and a cell (its step math).
///
/// A cell's recurrent state is one row of W = Cell::state_blocks * H values (state_blocks is
/// optional, 1 if absent): [h | extra], h first. GRU and MGU carry h alone; LSTM carries [h | c].
/// The outputs (what the next layer and a head read) are h only; everything called h_prev, h, dh
/// or dh_prev below is the WHOLE state, of width W.
///
/// Per step t the base hands the cell views of B rows each into the workspace:
/// @code{.unparsed}
///   step_buffers:   h_prev = state_{t-1} (B, W); h_recurrent (B, H), the h that enters the
///                   recurrent products (h_prev's h, or h * the recurrent dropout mask); gates
///                   (B, G*H), holding x_t Wx on entry and the gate activations on exit; saved
///                   (B, S*H), whatever else the cell's backward needs (S = Cell::saved_blocks,
///                   e.g. r*h); h = state_t (B, W), written; scratch (B, G*H).
///   step_gradients: the same step's h_prev, h_recurrent, gates and saved, read back; the
///                   recurrent mask (B, H) or empty; dh = dL/dstate_t (B, W);
///                   the cell writes d_input = dL/d(pre-activations) as seen by x_t Wx and b
///                   (B, G*H), d_recurrent = the gradients as seen by h Wh where they differ from
///                   d_input's (B, R*H), R = Cell::recurrent_grad_blocks; empty if 0), and
///                   dh_prev = dL/dh_{t-1}.
///   sequence_gradients: all T steps at once as (T*B, width) matrices, for the recurrent weight
///                   gradients as one product over every row (h_prev stacks state_0 ..
///                   state_{T-1}, (T*B, W); its h is h_prev.block(0, H)).
/// @endcode
/// The base computes the input side (x_t Wx for every step, dWx, db, dX) itself.
///
/// Optional pieces, each used when the cell declares it:
/// @code{.unparsed}
///   state_blocks                        the state's width in blocks of H (above; 1 if absent)
///   packed_size, pack_forward_weights(T* out) const, pack_backward_weights(T* out) const
///                                       the base packs packed_size values into the workspace at
///                                       the start of every forward (and backward), from the
///                                       parameters as they are then: a pack is never stale; the
///                                       steps read it as step_buffers / step_gradients::packed_weights
///   supports_recurrent_dropout = true   the cell reads h_recurrent for its products and applies
///                                       recurrent_mask to the recurrent side of dh_prev; without
///                                       it a training forward with recurrent_dropout > 0 throws
///   backward_overwrites_gates = true    step_backward may write d_input over the step's gates: it
///                                       reads every gate of a column before it writes that column
///                                       (and no other). A backward that consumes its forward (a
///                                       Model's training step: backward_unchecked's
///                                       consume_forward) then does; one that keeps the forward for
///                                       another backward writes the workspace's own d_input
///   realtime_scratch, realtime_step<isa>(x, h, T* scratch) const
///                                       one streaming step (step(), Stacked::step) without the
///                                       sequence path: kernels on the cell's own weights; a cell
///                                       without it steps through forward with T = 1
/// @endcode
#include <rnncell/detail/aligned_buffer.hpp>
#include <rnncell/detail/matrix_ref.hpp>

#include <concepts>
#include <cstddef>

namespace rnncell {

using detail::matrix_ref;
using detail::sequence_ref;

/// What a cell's step_forward reads and writes for step t: views of B rows each into the
/// workspace (G gate blocks and S = Cell::saved_blocks saved blocks, each H wide).
/// @tparam T the element type.
template <class T>
struct step_buffers {
  matrix_ref<const T> h_prev;  ///< state_{t-1} (B, W), h first
  /// (B, H): the h that enters the recurrent products, h_prev's h block, or h * the recurrent
  /// dropout mask in a training forward with recurrent_dropout > 0.
  matrix_ref<const T> h_recurrent;
  matrix_ref<T> gates;         ///< (B, G*H): x_t Wx on entry, gate activations on exit
  matrix_ref<T> saved;         ///< (B, S*H): kept for backward besides the gates
  matrix_ref<T> h;             ///< state_t (B, W), written by the cell
  matrix_ref<T> scratch;       ///< (B, G*H), free for the cell's use
  /// What the cell's pack_forward_weights / pack_backward_weights wrote at the start of this
  /// forward / backward (BaseRNNCell), or null for a cell that packs nothing.
  const T* packed_weights = nullptr;
};

/// What a cell's step_backward reads and writes for step t, from dh = dL/dh_t to dh_prev.
/// @tparam T the element type.
template <class T>
struct step_gradients {
  matrix_ref<const T> h_prev;  ///< state_{t-1} (B, W)
  matrix_ref<const T> h_recurrent;  ///< as step_buffers::h_recurrent
  /// (B, H): the recurrent dropout mask (0 or 1 / (1 - p)), or empty: the recurrent side's dL/dh
  /// (through h_recurrent) reaches dh_prev times this mask.
  matrix_ref<const T> recurrent_mask;
  matrix_ref<const T> gates;   ///< the step's gate activations (B, G*H)
  matrix_ref<const T> saved;   ///< what step_buffers::saved held after the forward (B, S*H)
  matrix_ref<const T> dh;      ///< dL/dstate_t (B, W)
  matrix_ref<T> d_input;       ///< written: dL/d(pre-activation), input side (B, G*H)
  matrix_ref<T> d_recurrent;   ///< written where recurrent_grad_blocks > 0: recurrent side (B, R*H)
  matrix_ref<T> dh_prev;       ///< written (every column): dL/dstate_{t-1} (B, W)
  matrix_ref<T> scratch;       ///< (B, G*H), free for the cell's use
  const T* packed_weights = nullptr;  ///< as step_buffers::packed_weights
};

/// All T steps at once as (T*B, width) matrices, for a cell's accumulate_recurrent_grads: the
/// recurrent weight gradients as one product over every row (BaseRNNCell hands them over in
/// pieces of rows: rows_from).
/// @tparam T the element type.
template <class T>
struct sequence_gradients {
  matrix_ref<const T> h_prev;       ///< state_0 .. state_{T-1} (T*B, W)
  matrix_ref<const T> h_recurrent;  ///< every step's h_recurrent (T*B, H): dWh's left factor
  matrix_ref<const T> saved;        ///< (T*B, S*H)
  matrix_ref<const T> d_input;      ///< (T*B, G*H)
  matrix_ref<const T> d_recurrent;  ///< (T*B, R*H), empty if recurrent_grad_blocks is 0

  /// Rows [first, first + count) of every view (d_recurrent stays empty if it is).
  /// @param first the first row.
  /// @param count how many rows.
  /// @return the same views, cut to those rows.
  sequence_gradients rows_from(std::size_t first, std::size_t count) const {
    return {h_prev.rows_from(first, count), h_recurrent.rows_from(first, count), saved.rows_from(first, count),
            d_input.rows_from(first, count),
            d_recurrent.empty() ? d_recurrent : d_recurrent.rows_from(first, count)};
  }
};

/// What a cell must supply to BaseRNNCell. BaseRNNCell checks each piece with its own message.
/// @tparam Cell the cell type checked.
/// @tparam T its element type.
template <class Cell, class T>
concept recurrent_step_math = requires(const Cell& cell, Cell& mutable_cell, const step_buffers<T>& forward,
                                       const step_gradients<T>& backward, const sequence_gradients<T>& all) {
  { Cell::saved_blocks } -> std::convertible_to<std::size_t>;
  { Cell::recurrent_grad_blocks } -> std::convertible_to<std::size_t>;
  cell.step_forward(forward);
  cell.step_backward(backward);
  mutable_cell.accumulate_recurrent_grads(all);
};

namespace detail {
/// Whether Cell declares supports_recurrent_dropout = true (cell_contract.hpp).
template <class Cell>
constexpr bool supports_recurrent_dropout() {
  if constexpr (requires { Cell::supports_recurrent_dropout; })
    return Cell::supports_recurrent_dropout;
  else
    return false;
}

/// Whether Cell declares backward_overwrites_gates = true (cell_contract.hpp).
template <class Cell>
constexpr bool backward_overwrites_gates() {
  if constexpr (requires { Cell::backward_overwrites_gates; })
    return Cell::backward_overwrites_gates;
  else
    return false;
}

/// Cell::state_blocks, or 1 for a cell that does not declare it (its state is h alone).
template <class Cell>
constexpr std::size_t state_blocks_of() {
  if constexpr (requires { Cell::state_blocks; })
    return Cell::state_blocks;
  else
    return 1;
}
}  // namespace detail

/// Checks Cell against the contract piece by piece, each piece with its own message (a missing
/// piece is a compile error naming it); BaseRNNCell's constructor calls it, where Cell is complete.
/// @tparam Cell the cell type checked.
/// @tparam T its element type.
/// @return true (a failing piece does not compile).
template <class Cell, class T>
consteval bool check_cell_contract() {
  static_assert(requires { Cell::saved_blocks; },
                "rnncell cell contract: declare static constexpr std::size_t saved_blocks (how many (B, H) "
                "blocks per step the cell keeps for backward besides the gates)");
  static_assert(requires { Cell::recurrent_grad_blocks; },
                "rnncell cell contract: declare static constexpr std::size_t recurrent_grad_blocks (how many "
                "(B, H) blocks of recurrent-side pre-activation gradients differ from the input-side ones; 0 "
                "if none)");
  static_assert(requires(const Cell& c, const step_buffers<T>& s) { c.step_forward(s); },
                "rnncell cell contract: supply void step_forward(const step_buffers<T>&) const");
  static_assert(requires(const Cell& c, const step_gradients<T>& s) { c.step_backward(s); },
                "rnncell cell contract: supply void step_backward(const step_gradients<T>&) const");
  static_assert(requires(Cell& c, const sequence_gradients<T>& s) { c.accumulate_recurrent_grads(s); },
                "rnncell cell contract: supply void accumulate_recurrent_grads(const sequence_gradients<T>&)");
  static_assert(recurrent_step_math<Cell, T>);
  return true;
}

}  // namespace rnncell
