#pragma once
/// @file
/// Identity<Width>: the input layer of a SequenceModel over float features, which hands x
/// (T, B, Width) to the recurrent stack as it is (an Embedding is the other input layer).
#include <rnncell/detail/shapes.hpp>
#include <rnncell/detail/xtensor.hpp>

#include <cstddef>

namespace rnncell {

/// The input of a SequenceModel over float features: x (T, B, Width) goes to the stack as it is.
/// @tparam Width the width of each x_t.
/// @tparam T the element type.
template <std::size_t Width, class T = float>
struct Identity {
  using value_type = T;                               ///< the element type
  using input_type = xt::xtensor<T, 3>;               ///< the sequences, time-major (T, B, Width)
  static constexpr std::size_t output_width = Width;  ///< Width

  /// Throws unless x is (T, B, Width) with T, B >= 1.
  /// @param x the input sequences.
  /// @throws std::invalid_argument naming x's shape and the one expected.
  static void check(const input_type& x) { detail::check_sequence<Width>(x); }
};

}  // namespace rnncell
