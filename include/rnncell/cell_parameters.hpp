#pragma once
/// @file
/// The parameters of a gated recurrent cell in Keras' row-vector layout, and their gradients:
/// the same struct serves as both (twin structs with the same field names), and `each` walks
/// one or several of them in step so the optimizer, checkpoints and tests share one traversal.
#include <rnncell/detail/xtensor.hpp>

#include <cstddef>

namespace rnncell {

/// The parameters (or gradients) of a gated recurrent cell with G gate blocks of width H,
/// Keras' row-vector layout: the gates' pre-activations are x Wx + h Wh + b.
/// @tparam T the element type.
template <class T>
struct cell_parameters {
  xt::xtensor<T, 2> Wx;  ///< (In x G*H): input weights, gate blocks side by side
  xt::xtensor<T, 2> Wh;  ///< (H x G*H): recurrent weights, same block order
  xt::xtensor<T, 1> b;   ///< (G*H): input bias

  /// All zero, shaped for a cell.
  /// @param in the input width In.
  /// @param hidden the hidden width H.
  /// @param gates the number of gate blocks G.
  cell_parameters(std::size_t in, std::size_t hidden, std::size_t gates)
      : Wx(xt::zeros<T>({in, gates * hidden})),
        Wh(xt::zeros<T>({hidden, gates * hidden})),
        b(xt::zeros<T>({gates * hidden})) {}

  /// Calls f(name, s.field...) for every field, in a fixed order.
  /// @tparam F a callable f(const char* name, tensor&...).
  /// @tparam S cell_parameters or a struct derived from it, one per walked struct.
  /// @param f called once per field with its name and that field of every s.
  /// @param s the structs walked in step (e.g. the parameters and the gradients).
  template <class F, class... S>
  static void each(F&& f, S&... s) {
    f("Wx", s.Wx...);
    f("Wh", s.Wh...);
    f("b", s.b...);
  }
};

/// For cells that also add a bias to the recurrent product (GRU reset-after, as cuDNN and PyTorch).
/// @tparam T the element type.
template <class T>
struct cell_parameters_with_recurrent_bias : cell_parameters<T> {
  xt::xtensor<T, 1> bh;  ///< (G*H): recurrent bias

  /// All zero, shaped for a cell.
  /// @param in the input width In.
  /// @param hidden the hidden width H.
  /// @param gates the number of gate blocks G.
  cell_parameters_with_recurrent_bias(std::size_t in, std::size_t hidden, std::size_t gates)
      : cell_parameters<T>(in, hidden, gates), bh(xt::zeros<T>({gates * hidden})) {}

  /// Calls f(name, s.field...) for every field, in a fixed order: those of cell_parameters, then bh.
  /// @tparam F a callable f(const char* name, tensor&...).
  /// @tparam S cell_parameters_with_recurrent_bias, one per walked struct.
  /// @param f called once per field with its name and that field of every s.
  /// @param s the structs walked in step (e.g. the parameters and the gradients).
  template <class F, class... S>
  static void each(F&& f, S&... s) {
    cell_parameters<T>::each(f, s...);
    f("bh", s.bh...);
  }
};

}  // namespace rnncell
