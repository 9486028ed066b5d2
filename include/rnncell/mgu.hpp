#pragma once
// MGUCell: minimal gated unit (Zhou, Wu, Zhang & Zhou 2016, "Minimal Gated Unit for Recurrent
// Neural Networks"): the GRU with its update and reset gates merged into one forget gate f.
//   f  = sigmoid(x Wxf + h Whf + bf)
//   n  = tanh(x Wxn + (f * h) Whn + bn)
//   h' = (1 - f) * h + f * n
// Update convention as GRUCell: f = 1 takes the candidate, f = 0 keeps h.
// Layout (Keras row-vector): Wx (In x 2H), Wh (H x 2H), b (2H), gate blocks [f | n].
#include <rnncell/base.hpp>
#include <rnncell/cell_parameters.hpp>
#include <rnncell/detail/activations.hpp>
#include <rnncell/detail/blas.hpp>

#include <cstddef>
#include <type_traits>

namespace rnncell {

template <std::size_t In, std::size_t Hidden, class T = float>
class MGUCell : public BaseRNNCell<MGUCell<In, Hidden, T>, T, In, Hidden, 2, cell_parameters<T>> {
  static_assert(std::is_floating_point_v<T>, "rnncell: MGUCell's T is float or double");
  static constexpr std::size_t H = Hidden, GH = 2 * Hidden;
  using transpose = detail::transpose;

 public:
  template <std::size_t NewIn>
  using with_input = MGUCell<NewIn, Hidden, T>;

  static constexpr std::size_t aux_blocks = 1;  // f * h, the candidate's recurrent input
  static constexpr bool separate_recurrent_grad = false;

  // The recurrent products accumulate straight into act (beta = 1): no scratch, no C = 0 pass
  // inside BLAS, no extra add.
  void step_forward(const T* h_prev, T* act, T* aux, T* h_next, std::size_t batch, T* /*rec*/) const {
    const T* wh = this->params.Wh.data();
    const T* b = this->params.b.data();
    detail::gemm(transpose::no, transpose::no, batch, H, H, T(1), h_prev, H, wh, GH, T(1), act, GH);
    for (std::size_t i = 0; i < batch; ++i) {
      T* a = act + i * GH;
      const T* h = h_prev + i * H;
      T* fh = aux + i * H;
      for (std::size_t j = 0; j < H; ++j) a[j] += b[j];
      detail::sigmoid_inplace(a, H);  // f
      for (std::size_t j = 0; j < H; ++j) fh[j] = a[j] * h[j];
    }
    detail::gemm(transpose::no, transpose::no, batch, H, H, T(1), aux, H, wh + H, GH, T(1), act + H, GH);
    for (std::size_t i = 0; i < batch; ++i) {
      T* a = act + i * GH;
      const T* h = h_prev + i * H;
      T* out = h_next + i * H;
      for (std::size_t j = H; j < GH; ++j) a[j] += b[j];
      detail::tanh_inplace(a + H, H);  // n
      for (std::size_t j = 0; j < H; ++j) out[j] = h[j] + a[j] * (a[H + j] - h[j]);
    }
  }

  void step_backward(const T* h_prev, const T* act, const T* /*aux*/, const T* dh, T* d_in, T* /*d_rec*/,
                     T* dh_prev, std::size_t batch, T* scratch) const {
    const T* wh = this->params.Wh.data();
    // First pass: the candidate's grads; d_in's f block holds dL/df from the update for now.
    for (std::size_t i = 0; i < batch; ++i) {
      const T* a = act + i * GH;
      const T* h = h_prev + i * H;
      const T* g = dh + i * H;
      T* di = d_in + i * GH;
      T* dp = dh_prev + i * H;
      for (std::size_t j = 0; j < H; ++j) {
        const T f = a[j], n = a[H + j];
        di[j] = g[j] * (n - h[j]);
        di[H + j] = g[j] * f * (1 - n * n);
        dp[j] = g[j] * (1 - f);
      }
    }
    // d(f*h) = dn_pre Whn^T, then through f and h.
    detail::gemm(transpose::no, transpose::yes, batch, H, H, T(1), d_in + H, GH, wh + H, GH, T(0), scratch, H);
    for (std::size_t i = 0; i < batch; ++i) {
      const T* a = act + i * GH;
      const T* h = h_prev + i * H;
      const T* dfh = scratch + i * H;
      T* di = d_in + i * GH;
      T* dp = dh_prev + i * H;
      for (std::size_t j = 0; j < H; ++j) {
        const T f = a[j];
        di[j] = (di[j] + dfh[j] * h[j]) * f * (1 - f);
        dp[j] += dfh[j] * f;
      }
    }
    detail::gemm(transpose::no, transpose::yes, batch, H, H, T(1), d_in, GH, wh, GH, T(1), dh_prev, H);
  }

  void accumulate_recurrent_grads(const T* h_prevs, const T* aux, const T* d_in, const T* /*d_rec*/,
                                  std::size_t rows) {
    T* dwh = this->grads.Wh.data();
    detail::gemm(transpose::yes, transpose::no, H, H, rows, T(1), h_prevs, H, d_in, GH, T(1), dwh, GH);
    detail::gemm(transpose::yes, transpose::no, H, H, rows, T(1), aux, H, d_in + H, GH, T(1), dwh + H, GH);
  }
};

}  // namespace rnncell
