#pragma once
// BaseRNNCell: the part every recurrent cell shares, as a CRTP base (no virtual call per step).
//
// It owns the sequence loops and the GEMMs that span all time steps:
//   forward:  act = X Wx (all T steps in one GEMM), then per step Derived::step_forward
//   backward: per step, in reverse, Derived::step_backward (only dh flows step to step), then
//             Derived::accumulate_recurrent_grads, dWx += X^T dA and dX = dA Wx^T, one GEMM each
// A cell supplies only its step math:
//   static constexpr std::size_t aux_blocks;            // (B, aux_blocks*H) kept per step for backward
//   static constexpr bool separate_recurrent_grad;      // its recurrent pre-activation grads differ
//   void step_forward(const T* h_prev, T* act, T* aux, T* h_next, std::size_t batch, T* rec) const;
//       act holds x_t Wx for the step on entry (bias not yet added) and the gate activations on exit
//   void step_backward(const T* h_prev, const T* act, const T* aux, const T* dh, T* d_in, T* d_rec,
//                      T* dh_prev, std::size_t batch, T* scratch) const;
//       dh = dLoss/dh_t; writes the step's input-side pre-activation grads d_in (and d_rec) and
//       overwrites dh_prev with dLoss/dh_{t-1}
//   void accumulate_recurrent_grads(const T* h_prevs, const T* aux, const T* d_in, const T* d_rec,
//                                   std::size_t rows);   // rows = T*B, recurrent weights and biases
// Buffers are (rows x width) row-major; see workspace.hpp for their shapes.
#include <rnncell/detail/blas.hpp>
#include <rnncell/detail/shapes.hpp>
#include <rnncell/detail/xtensor.hpp>
#include <rnncell/init.hpp>
#include <rnncell/parameterized.hpp>
#include <rnncell/workspace.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rnncell {

template <class Derived, class T, std::size_t In, std::size_t Hidden, std::size_t Gates, class Params>
class BaseRNNCell : public parameterized<Params> {
  static_assert(In > 0 && Hidden > 0, "rnncell: input and hidden widths must be positive");

 public:
  using value_type = T;
  using params_type = Params;
  using workspace = sequence_workspace<T>;
  static constexpr std::size_t input_width = In;
  static constexpr std::size_t hidden_width = Hidden;
  static constexpr std::size_t gate_count = Gates;

  /// Runs the cell over x (T, B, In) from h0 = 0, keeping in ws what backward needs.
  void forward(const xt::xtensor<T, 3>& x, workspace& ws) const {
    detail::check_sequence<In>(x);
    forward_raw(x.data(), x.shape(0), x.shape(1), nullptr, ws);
  }

  /// Same, from the initial state h0 (B, H).
  void forward(const xt::xtensor<T, 3>& x, workspace& ws, const xt::xtensor<T, 2>& h0) const {
    detail::check_sequence<In>(x);
    detail::require_shape("h0", h0.shape(), std::array{x.shape(1), Hidden}, "(B, H)");
    forward_raw(x.data(), x.shape(0), x.shape(1), h0.data(), ws);
  }

  /// Backward from dLoss/dh_t for every step, dh (T, B, H); x is the forward's input.
  /// Accumulates into grads; leaves dLoss/dx and dLoss/dh0 in ws.
  void backward(const xt::xtensor<T, 3>& x, workspace& ws, const xt::xtensor<T, 3>& dh) {
    detail::check_backward_input<In>(x, ws);
    detail::require_shape("dh", dh.shape(), std::array{ws.steps(), ws.batch(), Hidden}, "(T, B, H)");
    backward_raw(x.data(), ws, dh.data(), nullptr, true);
  }

  /// Backward when only the last output h_T has a gradient, dh_last (B, H).
  void backward_last(const xt::xtensor<T, 3>& x, workspace& ws, const xt::xtensor<T, 2>& dh_last) {
    detail::check_backward_input<In>(x, ws);
    detail::require_shape("dh_last", dh_last.shape(), std::array{ws.batch(), Hidden}, "(B, H)");
    backward_raw(x.data(), ws, nullptr, dh_last.data(), true);
  }

  /// Streaming inference: h <- cell(x_t, h) for a batch, x_t (B, In), h (B, H). Allocation-free
  /// once ws has seen this batch size.
  void step(const xt::xtensor<T, 2>& x, xt::xtensor<T, 2>& h, workspace& ws) const {
    detail::require_shape("x_t", x.shape(), std::array{x.shape(0), In}, "(B, In)");
    detail::require_shape("h", h.shape(), std::array{x.shape(0), Hidden}, "(B, H)");
    step_raw(x.data(), h.data(), x.shape(0), ws);
  }

  /// Streaming inference for one sample; the input width is checked at compile time.
  template <std::size_t N>
  void step(const std::array<T, N>& x, std::array<T, Hidden>& h, workspace& ws) const {
    static_assert(detail::check_width<In, N>::value);
    step_raw(x.data(), h.data(), 1, ws);
  }

  /// Glorot-uniform per gate for the weights, zero biases (see init.hpp).
  void initialize(rng& g) {
    glorot_uniform_per_gate(this->params.Wx, this->params.Wh, Gates, g);
    this->zero_biases();
  }

  // Pointer-level entry points, used by Stacked to chain layers without copies.
  void forward_raw(const T* x, std::size_t steps, std::size_t batch, const T* h0, workspace& ws) const {
    constexpr std::size_t gh = Gates * Hidden;
    ws.resize(steps, batch, In, Hidden, Gates, Derived::aux_blocks, Derived::separate_recurrent_grad);
    detail::gemm(detail::transpose::no, detail::transpose::no, steps * batch, gh, In, T(1), x, In,
                 this->params.Wx.data(), gh, T(0), ws.act_.data(), gh);
    T* hs = ws.hs_.data();
    if (h0)
      std::copy(h0, h0 + batch * Hidden, hs);
    else
      std::fill(hs, hs + batch * Hidden, T(0));
    for (std::size_t t = 0; t < steps; ++t)
      derived().step_forward(hs + t * batch * Hidden, ws.act_.data() + t * batch * gh,
                             ws.aux_.data() + t * batch * Derived::aux_blocks * Hidden,
                             hs + (t + 1) * batch * Hidden, batch, ws.rec_.data());
  }

  /// dh_all (T, B, H) and/or dh_last (B, H) may be null; want_dx = false skips the dX GEMM
  /// (the first layer of a model whose input needs no gradient).
  void backward_raw(const T* x, workspace& ws, const T* dh_all, const T* dh_last, bool want_dx) {
    constexpr std::size_t gh = Gates * Hidden;
    const std::size_t steps = ws.steps(), batch = ws.batch(), bh = batch * Hidden, rows = steps * batch;
    T* dh = ws.dh_.data();
    T* dh_prev = ws.dh_prev_.data();
    std::fill(dh, dh + bh, T(0));
    for (std::size_t t = steps; t-- > 0;) {
      if (dh_all)
        for (std::size_t i = 0; i < bh; ++i) dh[i] += dh_all[t * bh + i];
      if (dh_last && t + 1 == steps)
        for (std::size_t i = 0; i < bh; ++i) dh[i] += dh_last[i];
      derived().step_backward(ws.hs_.data() + t * bh, ws.act_.data() + t * batch * gh,
                              ws.aux_.data() + t * batch * Derived::aux_blocks * Hidden, dh,
                              ws.d_in_.data() + t * batch * gh,
                              Derived::separate_recurrent_grad ? ws.d_rec_.data() + t * batch * gh : nullptr,
                              dh_prev, batch, ws.rec_.data());
      std::swap(dh, dh_prev);
    }
    std::copy(dh, dh + bh, ws.dh0_.data());
    derived().accumulate_recurrent_grads(ws.hs_.data(), ws.aux_.data(), ws.d_in_.data(),
                                         Derived::separate_recurrent_grad ? ws.d_rec_.data() : nullptr, rows);
    detail::gemm(detail::transpose::yes, detail::transpose::no, In, gh, rows, T(1), x, In, ws.d_in_.data(), gh,
                 T(1), this->grads.Wx.data(), gh);
    detail::add_column_sums(ws.d_in_.data(), rows, gh, gh, this->grads.b.data());
    if (want_dx)
      detail::gemm(detail::transpose::no, detail::transpose::yes, rows, In, gh, T(1), ws.d_in_.data(), gh,
                   this->params.Wx.data(), gh, T(0), ws.dx_.data(), In);
  }

 protected:
  BaseRNNCell() : parameterized<Params>(In, Hidden, Gates) {}

 private:
  Derived& derived() { return static_cast<Derived&>(*this); }
  const Derived& derived() const { return static_cast<const Derived&>(*this); }

  void step_raw(const T* x, T* h, std::size_t batch, workspace& ws) const {
    forward_raw(x, 1, batch, h, ws);
    std::copy(ws.output_data(), ws.output_data() + batch * Hidden, h);
  }

};

}  // namespace rnncell
