#pragma once
// GRUCell: gated recurrent unit (Cho et al. 2014), in two variants chosen at compile time.
//
// reset_before (the default; the seed lab's equations):
//   z  = sigmoid(x Wxz + h Whz + bz)          update gate
//   r  = sigmoid(x Wxr + h Whr + br)          reset gate
//   n  = tanh(x Wxn + (r * h) Whn + bn)       candidate; r applied before the recurrent product
//   h' = (1 - z) * h + z * n
// reset_after (cuDNN, PyTorch nn.GRU, Keras' default), with a recurrent bias bh:
//   z  = sigmoid(x Wxz + bz + h Whz + bhz)
//   r  = sigmoid(x Wxr + br + h Whr + bhr)
//   n  = tanh(x Wxn + bn + r * (h Whn + bhn))
//   h' = (1 - z) * h + z * n
// Update convention: z = 1 takes the candidate, z = 0 keeps h. PyTorch and Keras write
// h' = z * h + (1 - z) * n; their z is our 1 - z, and since sigmoid(-a) = 1 - sigmoid(a) an importer
// negates the z block of their weights and biases (import.hpp).
// Layout (Keras row-vector): Wx (In x 3H), Wh (H x 3H), b (3H) [, bh (3H)], gate blocks [z | r | n].
#include <rnncell/base.hpp>
#include <rnncell/cell_parameters.hpp>
#include <rnncell/detail/activations.hpp>
#include <rnncell/detail/blas.hpp>

#include <cstddef>
#include <type_traits>

namespace rnncell {

/// GRU variant tags: the reset gate applied before or after the recurrent matrix product.
struct reset_before {};
struct reset_after {};

namespace detail {
template <class T, class Variant>
using gru_parameters =
    std::conditional_t<std::is_same_v<Variant, reset_after>, cell_parameters_with_recurrent_bias<T>,
                       cell_parameters<T>>;
}

template <std::size_t In, std::size_t Hidden, class T = float, class Variant = reset_before>
class GRUCell : public BaseRNNCell<GRUCell<In, Hidden, T, Variant>, T, In, Hidden, 3,
                                   detail::gru_parameters<T, Variant>> {
  static_assert(std::is_same_v<Variant, reset_before> || std::is_same_v<Variant, reset_after>,
                "rnncell: GRUCell's Variant is rnncell::reset_before or rnncell::reset_after");
  static_assert(std::is_floating_point_v<T>, "rnncell: GRUCell's T is float or double");
  static constexpr std::size_t H = Hidden, GH = 3 * Hidden;
  static constexpr bool after = std::is_same_v<Variant, reset_after>;
  using transpose = detail::transpose;

 public:
  using variant = Variant;
  /// The same kind of cell with another input width (the upper layers of a Stacked).
  template <std::size_t NewIn>
  using with_input = GRUCell<NewIn, Hidden, T, Variant>;

  // Per step, backward keeps r*h (reset_before) or h Whn + bhn (reset_after).
  static constexpr std::size_t aux_blocks = 1;
  static constexpr bool separate_recurrent_grad = after;

  void step_forward(const T* h_prev, T* act, T* aux, T* h_next, std::size_t batch, T* rec) const {
    const T* wh = this->params.Wh.data();
    const T* b = this->params.b.data();
    if constexpr (after) {
      const T* bh = this->params.bh.data();
      detail::gemm(transpose::no, transpose::no, batch, GH, H, T(1), h_prev, H, wh, GH, T(0), rec, GH);
      for (std::size_t i = 0; i < batch; ++i) {
        T* a = act + i * GH;
        const T* q = rec + i * GH;
        const T* h = h_prev + i * H;
        T* hn = aux + i * H;
        T* out = h_next + i * H;
        for (std::size_t j = 0; j < 2 * H; ++j) a[j] = a[j] + b[j] + q[j] + bh[j];
        detail::sigmoid_inplace(a, 2 * H);  // z, r
        for (std::size_t j = 0; j < H; ++j) {
          hn[j] = q[2 * H + j] + bh[2 * H + j];
          a[2 * H + j] = a[2 * H + j] + b[2 * H + j] + a[H + j] * hn[j];
        }
        detail::tanh_inplace(a + 2 * H, H);  // n
        for (std::size_t j = 0; j < H; ++j) out[j] = h[j] + a[j] * (a[2 * H + j] - h[j]);
      }
    } else {
      // z and r first; the candidate's recurrent product needs r * h. Both products accumulate
      // straight into act (beta = 1): no scratch, no C = 0 pass inside BLAS, no extra add.
      detail::gemm(transpose::no, transpose::no, batch, 2 * H, H, T(1), h_prev, H, wh, GH, T(1), act, GH);
      for (std::size_t i = 0; i < batch; ++i) {
        T* a = act + i * GH;
        const T* h = h_prev + i * H;
        T* rh = aux + i * H;
        for (std::size_t j = 0; j < 2 * H; ++j) a[j] += b[j];
        detail::sigmoid_inplace(a, 2 * H);  // z, r
        for (std::size_t j = 0; j < H; ++j) rh[j] = a[H + j] * h[j];
      }
      detail::gemm(transpose::no, transpose::no, batch, H, H, T(1), aux, H, wh + 2 * H, GH, T(1), act + 2 * H,
                   GH);
      for (std::size_t i = 0; i < batch; ++i) {
        T* a = act + i * GH;
        const T* h = h_prev + i * H;
        T* out = h_next + i * H;
        for (std::size_t j = 2 * H; j < GH; ++j) a[j] += b[j];
        detail::tanh_inplace(a + 2 * H, H);  // n
        for (std::size_t j = 0; j < H; ++j) out[j] = h[j] + a[j] * (a[2 * H + j] - h[j]);
      }
    }
  }

  void step_backward(const T* h_prev, const T* act, const T* aux, const T* dh, T* d_in, T* d_rec, T* dh_prev,
                     std::size_t batch, T* scratch) const {
    const T* wh = this->params.Wh.data();
    if constexpr (after) {
      for (std::size_t i = 0; i < batch; ++i) {
        const T* a = act + i * GH;
        const T* h = h_prev + i * H;
        const T* hn = aux + i * H;
        const T* g = dh + i * H;
        T* di = d_in + i * GH;
        T* dr = d_rec + i * GH;
        T* dp = dh_prev + i * H;
        for (std::size_t j = 0; j < H; ++j) {
          const T z = a[j], n = a[2 * H + j];
          di[j] = g[j] * (n - h[j]) * z * (1 - z);
          di[2 * H + j] = g[j] * z * (1 - n * n);
          dp[j] = g[j] * (1 - z);
        }
        // r enters through r * (h Whn + bhn); the recurrent side differs only in n, whose
        // recurrent pre-activation gradient is dn * r. (Separate loops: one loop over all the
        // streams is past GCC's alias-check budget and stays scalar.)
        for (std::size_t j = 0; j < H; ++j) {
          const T r = a[H + j];
          di[H + j] = di[2 * H + j] * hn[j] * r * (1 - r);
          dr[2 * H + j] = di[2 * H + j] * r;
        }
        std::copy(di, di + 2 * H, dr);
      }
      detail::gemm(transpose::no, transpose::yes, batch, H, GH, T(1), d_rec, GH, wh, GH, T(1), dh_prev, H);
    } else {
      for (std::size_t i = 0; i < batch; ++i) {
        const T* a = act + i * GH;
        const T* h = h_prev + i * H;
        const T* g = dh + i * H;
        T* di = d_in + i * GH;
        T* dp = dh_prev + i * H;
        for (std::size_t j = 0; j < H; ++j) {
          const T z = a[j], n = a[2 * H + j];
          di[j] = g[j] * (n - h[j]) * z * (1 - z);
          di[2 * H + j] = g[j] * z * (1 - n * n);
          dp[j] = g[j] * (1 - z);
        }
      }
      // d(r*h) = dn_pre Whn^T, then through r and h.
      detail::gemm(transpose::no, transpose::yes, batch, H, H, T(1), d_in + 2 * H, GH, wh + 2 * H, GH, T(0),
                   scratch, H);
      for (std::size_t i = 0; i < batch; ++i) {
        const T* a = act + i * GH;
        const T* h = h_prev + i * H;
        const T* drh = scratch + i * H;
        T* di = d_in + i * GH;
        T* dp = dh_prev + i * H;
        for (std::size_t j = 0; j < H; ++j) {
          const T r = a[H + j];
          di[H + j] = drh[j] * h[j] * r * (1 - r);
          dp[j] += drh[j] * r;
        }
      }
      detail::gemm(transpose::no, transpose::yes, batch, H, 2 * H, T(1), d_in, GH, wh, GH, T(1), dh_prev, H);
    }
  }

  void accumulate_recurrent_grads(const T* h_prevs, const T* aux, const T* d_in, const T* d_rec,
                                  std::size_t rows) {
    T* dwh = this->grads.Wh.data();
    if constexpr (after) {
      detail::gemm(transpose::yes, transpose::no, H, GH, rows, T(1), h_prevs, H, d_rec, GH, T(1), dwh, GH);
      detail::add_column_sums(d_rec, rows, GH, GH, this->grads.bh.data());
    } else {
      detail::gemm(transpose::yes, transpose::no, H, 2 * H, rows, T(1), h_prevs, H, d_in, GH, T(1), dwh, GH);
      detail::gemm(transpose::yes, transpose::no, H, H, rows, T(1), aux, H, d_in + 2 * H, GH, T(1),
                   dwh + 2 * H, GH);
    }
  }
};

}  // namespace rnncell
