#pragma once
// One real-time step of a GRU, MGU or LSTM cell on the cell's OWN weights, row-major as the cell stores
// them (Wx In x G*H, Wh H x G*H, leading dimension G*H, gate blocks side by side): what
// BaseRNNCell::step runs. Reading the weights in place is what keeps the step from going stale:
// whatever wrote them last (an Adam step, set_parameter, load_npz, a direct write) is what the
// next step reads; there is no packed copy to refresh. No allocation, lock or BLAS call: the
// products are matvec_rows (matvec.hpp) on the path I that dispatch() compiled, the gate math is
// gate_rows.hpp's (LSTM's: lstm_rows.hpp's row on path I), so the values match the sequence
// forward's to float rounding.
// x and h are `rows` rows, row strides ldx and ldh; scratch holds rows * scratch_per_row values.
#include <rnncell/kernels/gate_rows.hpp>
#include <rnncell/kernels/isa.hpp>
#include <rnncell/kernels/lstm_rows.hpp>
#include <rnncell/kernels/matvec.hpp>

#include <cstddef>

namespace rnncell::kernels {

/// GRU reset_after: g = x Wx + b, rec = h Wh + bh (all 3H columns of each), then per row
/// z, r = sigmoid(g + rec), n = tanh(g_n + r * rec_n), h = (1 - z) * h + z * n.
template <class T, std::size_t In, std::size_t H>
struct gru_reset_after_step {
  static constexpr std::size_t scratch_per_row = 2 * 3 * H;  // g, rec

  template <isa I>
  static void run(const T* x, std::size_t ldx, T* h, std::size_t ldh, std::size_t rows, const T* wx, const T* wh,
                  const T* b, const T* bh, T* scratch) {
    constexpr std::size_t G = 3 * H;
    T* const g = scratch;
    T* const rec = scratch + rows * G;
    matvec_rows<I, In, G>(x, ldx, rows, wx, G, b, g, G);
    matvec_rows<I, H, G>(h, ldh, rows, wh, G, bh, rec, G);
    for (std::size_t r = 0; r < rows; ++r) gru_reset_after_row<H>(g + r * G, rec + r * G, h + r * ldh);
  }
};

/// The cells whose candidate reads a gated state (gate s, the last of Sigmoids sigmoid gates):
/// GRU reset_before (Sigmoids = 2: z, r; s = r) and MGU (Sigmoids = 1: f; s = f).
///   g = x Wx + b;  gates = sigmoid(g_gates + h Wh_gates);  n = tanh(g_n + (s * h) Whn)
///   h = (1 - u) * h + u * n, u the first gate.
template <class T, std::size_t In, std::size_t H, std::size_t Sigmoids>
struct gated_candidate_step {
  static constexpr std::size_t G = (Sigmoids + 1) * H, S = Sigmoids * H;
  static constexpr std::size_t scratch_per_row = 2 * G + H;  // g, [rec_gates | rec_n], s * h

  template <isa I>
  static void run(const T* x, std::size_t ldx, T* h, std::size_t ldh, std::size_t rows, const T* wx, const T* wh,
                  const T* b, T* scratch) {
    T* const g = scratch;
    T* const rec = g + rows * G;        // rows x G: the gates' recurrent part, then rec_n
    T* const gated_h = rec + rows * G;  // rows x H
    matvec_rows<I, In, G>(x, ldx, rows, wx, G, b, g, G);
    matvec_rows<I, H, S>(h, ldh, rows, wh, G, nullptr, rec, G);
    for (std::size_t r = 0; r < rows; ++r) {
      sigmoid_gates_row<S>(g + r * G, rec + r * G);
      gated_state_row<H>(g + r * G + S - H, h + r * ldh, gated_h + r * H);
    }
    matvec_rows<I, H, H>(gated_h, H, rows, wh + S, G, nullptr, rec + S, G);
    for (std::size_t r = 0; r < rows; ++r) candidate_row<H>(g + r * G + S, rec + r * G + S, g + r * G, h + r * ldh);
  }
};

/// LSTM: g = x Wx + b and rec = h Wh (all 4H columns of each), then per row lstm_row_on with
/// a = g + rec. state rows are [h | c] (row stride ldh); h and c are updated in place.
template <class T, std::size_t In, std::size_t H>
struct lstm_step {
  static constexpr std::size_t scratch_per_row = 2 * 4 * H;  // g, rec

  template <isa I>
  static void run(const T* x, std::size_t ldx, T* state, std::size_t ldh, std::size_t rows, const T* wx, const T* wh,
                  const T* b, T* scratch) {
    constexpr std::size_t G = 4 * H;
    T* const g = scratch;
    T* const rec = scratch + rows * G;
    matvec_rows<I, In, G>(x, ldx, rows, wx, G, b, g, G);
    matvec_rows<I, H, G>(state, ldh, rows, wh, G, nullptr, rec, G);
    for (std::size_t r = 0; r < rows; ++r) {
      T* const h = state + r * ldh;
      lstm_row_on<I, H, H, false>(g + r * G, rec + r * G, h + H, h, h + H, static_cast<T*>(nullptr));
    }
  }
};

}  // namespace rnncell::kernels
