#pragma once
/// @file
/// Dense<In, Out>: the classifier head, y = h W + b, with W (In x Out) and b (Out), row-vector layout.
/// Its products run on the cells' kernels (kernels/small_gemm.hpp, kernels/weight_gradient.hpp):
/// W is packed at every forward (W^T at every backward) into room the caller owns, a Model's or a
/// Sequential's, as a cell's weights go into its workspace; the layer itself holds no scratch.
#include <rnncell/detail/aligned_buffer.hpp>
#include <rnncell/detail/gemm.hpp>
#include <rnncell/detail/matrix_ref.hpp>
#include <rnncell/detail/shapes.hpp>
#include <rnncell/detail/xtensor.hpp>
#include <rnncell/init.hpp>
#include <rnncell/kernels/small_gemm.hpp>
#include <rnncell/kernels/weight_gradient.hpp>
#include <rnncell/parameterized.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <type_traits>

namespace rnncell {

/// The parameters (or gradients) of a Dense layer.
/// @tparam T the element type.
template <class T>
struct dense_parameters {
  xt::xtensor<T, 2> W;  ///< (In x Out)
  xt::xtensor<T, 1> b;  ///< (Out)

  /// All zero, shaped for a layer.
  /// @param in the input width In.
  /// @param out the output width Out.
  dense_parameters(std::size_t in, std::size_t out) : W(xt::zeros<T>({in, out})), b(xt::zeros<T>({out})) {}

  /// Calls f(name, s.field...) for every field, in a fixed order: W, then b.
  /// @tparam F a callable f(const char* name, tensor&...).
  /// @tparam S dense_parameters, one per walked struct.
  /// @param f called once per field with its name and that field of every s.
  /// @param s the structs walked in step (e.g. the parameters and the gradients).
  template <class F, class... S>
  static void each(F&& f, S&... s) {
    f("W", s.W...);
    f("b", s.b...);
  }
};

/// A fully connected layer, y = h W + b on a batch of rows: the classifier head of a Model.
/// Gradients accumulate (+=) until zero_grad().
/// @tparam In the input width.
/// @tparam Out the output width (the number of classes for a head).
/// @tparam T the element type, float or double.
template <std::size_t In, std::size_t Out, class T = float>
class Dense : public parameterized<dense_parameters<T>> {
  static_assert(In > 0 && Out > 0, "rnncell: Dense widths must be positive");
  static_assert(std::is_floating_point_v<T>, "rnncell: Dense's T is float or double");
  using packed_w = kernels::packed_block<T, In, Out>;
  using packed_w_t = kernels::packed_block<T, Out, In>;

 public:
  using value_type = T;                             ///< the element type
  static constexpr std::size_t input_width = In;    ///< In, the width of each input row
  static constexpr std::size_t output_width = Out;  ///< Out, the width of each output row
  /// Values of the room forward_unchecked packs W (and b, padded) into, and backward_unchecked W^T.
  static constexpr std::size_t packed_size =
      std::max(packed_w::size + kernels::padded_width<T, Out>, packed_w_t::size);

  /// Zero parameters and gradients; see initialize().
  Dense() : parameterized<dense_parameters<T>>(In, Out) {}

  /// y = h W + b for h (B, In); y is resized to (B, Out) if needed. Allocates the room it packs
  /// W into at each call (forward_unchecked takes it from the caller).
  /// @param h the input rows (B, In).
  /// @param y the output rows (B, Out), overwritten.
  /// @throws std::invalid_argument if h is not (B, In).
  void forward(const xt::xtensor<T, 2>& h, xt::xtensor<T, 2>& y) const {
    detail::require_shape("Dense input", h.shape(), std::array{h.shape(0), In}, "(B, In)");
    if (y.shape() != std::array{h.shape(0), Out}) y.resize({h.shape(0), Out});
    detail::aligned_buffer<T> room;
    forward_unchecked(detail::as_matrix(h), detail::as_matrix(y), room.get(packed_size));
  }

  /// Accumulates dW, db from dy (B, Out); writes dLoss/dh into dh (resized to (B, In) if needed).
  /// Allocates the room it packs W^T into at each call (backward_unchecked takes it from the caller).
  /// @param h the input rows forward ran on, (B, In).
  /// @param dy dLoss/dy (B, Out).
  /// @param dh dLoss/dh (B, In), overwritten.
  /// @throws std::invalid_argument if h is not (B, In) or dy is not (B, Out).
  void backward(const xt::xtensor<T, 2>& h, const xt::xtensor<T, 2>& dy, xt::xtensor<T, 2>& dh) {
    detail::require_shape("Dense input", h.shape(), std::array{h.shape(0), In}, "(B, In)");
    detail::require_shape("Dense dy", dy.shape(), std::array{h.shape(0), Out}, "(B, Out)");
    if (dh.shape() != std::array{h.shape(0), In}) dh.resize({h.shape(0), In});
    detail::aligned_buffer<T> room;
    backward_unchecked(detail::as_matrix(h), detail::as_matrix(dy), detail::as_matrix(dh), room.get(packed_size));
  }

  /// y = h W + b for h (B, In) into y (B, Out), W and b (padded to whole panels, as the product
  /// reads it) packed into the caller's room first; shapes trusted.
  /// @param h the input rows (B, In).
  /// @param y the output rows (B, Out), overwritten.
  /// @param packed packed_size values, 64-byte aligned, overwritten.
  void forward_unchecked(detail::matrix_ref<const T> h, detail::matrix_ref<T> y, T* packed) const {
    const packed_w w = kernels::pack<In, Out>(this->params.W.data(), Out, packed);
    T* const b = packed + packed_w::size;
    std::copy_n(this->params.b.data(), Out, b);
    std::fill(b + Out, b + kernels::padded_width<T, Out>, T(0));
    kernels::gemm_packed_set_bias(y, h, w, b);
  }

  /// dW += h^T dy (kernels/weight_gradient.hpp), db += sum_rows dy, dh = dy W^T (W^T packed into
  /// the caller's room first); shapes trusted. All three read a piece of dy
  /// (kernels::for_each_gradient_piece) before the next (the same sums as over all rows at
  /// once: BaseRNNCell's backward), so that dy over many rows (a head over every step's T * B
  /// rows) is read from memory once.
  /// @param h the input rows forward ran on, (B, In).
  /// @param dy dLoss/dy (B, Out).
  /// @param dh dLoss/dh (B, In), overwritten.
  /// @param packed packed_size values, 64-byte aligned, overwritten.
  void backward_unchecked(detail::matrix_ref<const T> h, detail::matrix_ref<const T> dy, detail::matrix_ref<T> dh,
                          T* packed) {
    const auto w_t = kernels::pack_transposed<Out, In>(this->params.W.data(), Out, packed);
    kernels::for_each_gradient_piece(dy.rows, [&](std::size_t first, std::size_t count) {
      const detail::matrix_ref<const T> dy_piece = dy.rows_from(first, count);
      kernels::add_weight_gradient<In, Out>(detail::as_matrix(this->grads.W), h.rows_from(first, count), dy_piece);
      detail::add_column_sums<Out>(dy_piece, this->grads.b.data());
      kernels::gemm_packed_set(dh.rows_from(first, count), dy_piece, w_t);
    });
  }

  /// Glorot-uniform W (limit sqrt(6 / (In + Out))), zero b.
  /// @param g the generator W is drawn from, in row-major order.
  void initialize(rng& g) {
    glorot_uniform(this->params.W, g);
    this->zero_biases();
  }
};

}  // namespace rnncell
