#pragma once
// Dense<In, Out>: the classifier head, y = h W + b, with W (In x Out) and b (Out), row-vector layout.
#include <rnncell/detail/shapes.hpp>
#include <rnncell/detail/blas.hpp>
#include <rnncell/detail/xtensor.hpp>
#include <rnncell/init.hpp>
#include <rnncell/parameterized.hpp>

#include <array>
#include <cstddef>
#include <type_traits>

namespace rnncell {

template <class T>
struct dense_parameters {
  xt::xtensor<T, 2> W;  ///< (In x Out)
  xt::xtensor<T, 1> b;  ///< (Out)

  dense_parameters(std::size_t in, std::size_t out) : W(xt::zeros<T>({in, out})), b(xt::zeros<T>({out})) {}

  template <class F, class... S>
  static void each(F&& f, S&... s) {
    f("W", s.W...);
    f("b", s.b...);
  }
};

template <std::size_t In, std::size_t Out, class T = float>
class Dense : public parameterized<dense_parameters<T>> {
  static_assert(In > 0 && Out > 0, "rnncell: Dense widths must be positive");
  static_assert(std::is_floating_point_v<T>, "rnncell: Dense's T is float or double");
  using transpose = detail::transpose;

 public:
  using value_type = T;
  static constexpr std::size_t input_width = In;
  static constexpr std::size_t output_width = Out;

  Dense() : parameterized<dense_parameters<T>>(In, Out) {}

  /// y = h W + b for h (B, In); y is resized to (B, Out) if needed.
  void forward(const xt::xtensor<T, 2>& h, xt::xtensor<T, 2>& y) const {
    detail::require_shape("Dense input", h.shape(), std::array{h.shape(0), In}, "(B, In)");
    if (y.shape() != std::array{h.shape(0), Out}) y.resize({h.shape(0), Out});
    forward_raw(h.data(), h.shape(0), y.data());
  }

  /// Accumulates dW, db from dy (B, Out); writes dLoss/dh into dh (resized to (B, In) if needed).
  void backward(const xt::xtensor<T, 2>& h, const xt::xtensor<T, 2>& dy, xt::xtensor<T, 2>& dh) {
    detail::require_shape("Dense input", h.shape(), std::array{h.shape(0), In}, "(B, In)");
    detail::require_shape("Dense dy", dy.shape(), std::array{h.shape(0), Out}, "(B, Out)");
    if (dh.shape() != std::array{h.shape(0), In}) dh.resize({h.shape(0), In});
    backward_raw(h.data(), dy.data(), h.shape(0), dh.data());
  }

  void forward_raw(const T* h, std::size_t batch, T* y) const {
    const T* b = this->params.b.data();
    for (std::size_t i = 0; i < batch; ++i)
      for (std::size_t j = 0; j < Out; ++j) y[i * Out + j] = b[j];
    detail::gemm(transpose::no, transpose::no, batch, Out, In, T(1), h, In, this->params.W.data(), Out, T(1), y,
                 Out);
  }

  void backward_raw(const T* h, const T* dy, std::size_t batch, T* dh) {
    detail::gemm(transpose::yes, transpose::no, In, Out, batch, T(1), h, In, dy, Out, T(1),
                 this->grads.W.data(), Out);
    detail::add_column_sums(dy, batch, Out, Out, this->grads.b.data());
    detail::gemm(transpose::no, transpose::yes, batch, In, Out, T(1), dy, Out, this->params.W.data(), Out, T(0),
                 dh, In);
  }

  /// Glorot-uniform W (limit sqrt(6 / (In + Out))), zero b.
  void initialize(rng& g) {
    glorot_uniform(this->params.W, g);
    this->zero_biases();
  }
};

}  // namespace rnncell
