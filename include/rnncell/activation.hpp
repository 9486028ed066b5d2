#pragma once
/// @file
/// Activation<Function, Width>: an elementwise activation between two Dense layers of a head
/// (Sequential), y = f(x), with no parameters. Its backward recomputes f from the input it is
/// given rather than keeping y: one tanh per entry, and the layer holds no buffer.
///   tanh: y = tanh(x),   dx = dy * (1 - y^2)
///   relu: y = max(x, 0), dx = dy where x > 0, else 0
#include <rnncell/detail/activations.hpp>
#include <rnncell/detail/matrix_ref.hpp>

#include <algorithm>
#include <cstddef>
#include <type_traits>

namespace rnncell {

/// The functions an Activation layer applies.
enum class activation_function {
  tanh,  ///< y = tanh(x)
  relu,  ///< y = max(x, 0)
};

/// An elementwise activation over rows of Width values, a parameter-free layer of a Sequential head.
/// @tparam Function the function applied.
/// @tparam Width the width of each row, in and out.
/// @tparam T the element type, float or double.
template <activation_function Function, std::size_t Width, class T = float>
class Activation {
  static_assert(Width > 0, "rnncell: Activation's Width must be positive");
  static_assert(std::is_floating_point_v<T>, "rnncell: Activation's T is float or double");

 public:
  using value_type = T;                               ///< the element type
  static constexpr std::size_t input_width = Width;   ///< Width
  static constexpr std::size_t output_width = Width;  ///< Width

  /// y = f(x) row by row; shapes trusted.
  /// @param x the input rows (rows, Width).
  /// @param y the output rows (rows, Width), overwritten (may be x itself).
  void forward_unchecked(detail::matrix_ref<const T> x, detail::matrix_ref<T> y) const {
    for (std::size_t r = 0; r < x.rows; ++r) {
      const T* in = x.row(r);
      T* out = y.row(r);
      if constexpr (Function == activation_function::tanh) {
        std::copy(in, in + Width, out);
        detail::tanh_inplace(out, Width);
      } else {
        for (std::size_t c = 0; c < Width; ++c) out[c] = std::max(in[c], T(0));
      }
    }
  }

  /// dx = dLoss/dx from the input x forward ran on and dy = dLoss/dy; shapes trusted.
  /// @param x the input rows forward ran on, (rows, Width).
  /// @param dy dLoss/dy (rows, Width).
  /// @param dx dLoss/dx (rows, Width), overwritten (may be dy itself).
  void backward_unchecked(detail::matrix_ref<const T> x, detail::matrix_ref<const T> dy,
                          detail::matrix_ref<T> dx) const {
    for (std::size_t r = 0; r < x.rows; ++r) {
      const T* in = x.row(r);
      const T* d = dy.row(r);
      T* out = dx.row(r);
      if constexpr (Function == activation_function::tanh) {
        T y[Width];  // Width values on the stack: a head's hidden width, not a weight matrix
        std::copy(in, in + Width, y);
        detail::tanh_inplace(y, Width);
        for (std::size_t c = 0; c < Width; ++c) out[c] = d[c] * (T(1) - y[c] * y[c]);
      } else {
        for (std::size_t c = 0; c < Width; ++c) out[c] = in[c] > T(0) ? d[c] : T(0);
      }
    }
  }
};

}  // namespace rnncell
