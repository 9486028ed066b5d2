#pragma once
/// @file
/// A layer's parameters and their gradients (twin structs of one type, see cell_parameters.hpp),
/// with the one traversal every consumer uses: the optimizer, checkpoints, importers and tests.
#include <cstddef>
#include <string_view>
#include <utility>

namespace rnncell {

/// A layer's parameters and their gradients, two structs of one type, with the visitors, gradient
/// reset and count every consumer uses. The base of every cell and of Dense.
/// @tparam Params the struct of parameters, with a static each(f, s...) walking its fields
///         (cell_parameters, cell_parameters_with_recurrent_bias, dense_parameters).
template <class Params>
class parameterized {
 public:
  Params params;  ///< zero until initialised or set
  Params grads;   ///< accumulated by backward; zero_grad() clears

  /// Calls f(std::string_view name, tensor& p) for every parameter, in a fixed order.
  /// @tparam F a callable f(std::string_view, xt::xtensor<T, N>&) for N = 1 and 2.
  /// @param f called once per parameter with its name ("Wx") and value.
  template <class F>
  void for_each_parameter(F&& f) {
    Params::each([&](const char* name, auto&... t) { f(std::string_view(name), t...); }, params);
  }
  /// Calls f(name, param, grad) for every parameter.
  /// @tparam F a callable f(std::string_view, xt::xtensor<T, N>&, xt::xtensor<T, N>&).
  /// @param f called once per parameter, in a fixed order, with its name, value and gradient.
  template <class F>
  void for_each_parameter_and_grad(F&& f) {
    Params::each([&](const char* name, auto&... t) { f(std::string_view(name), t...); }, params, grads);
  }
  /// Sets every gradient to zero.
  void zero_grad() {
    Params::each([](const char*, auto& g) { g.fill(0); }, grads);
  }
  /// How many scalars the parameters hold.
  /// @return the number of entries over every parameter.
  std::size_t parameter_count() {
    std::size_t n = 0;
    Params::each([&](const char*, auto& p) { n += p.size(); }, params);
    return n;
  }

 protected:
  /// Parameters and gradients constructed alike, all zero.
  /// @tparam Args the types of Params' constructor arguments.
  /// @param shape Params' constructor arguments (the layer's widths).
  template <class... Args>
  explicit parameterized(const Args&... shape) : params(shape...), grads(shape...) {}

  /// Zeroes every bias (parameters whose name starts with 'b').
  void zero_biases() {
    Params::each(
        [](const char* name, auto& t) {
          if (name[0] == 'b') t.fill(0);
        },
        params);
  }
};

}  // namespace rnncell
