#pragma once
// A layer's parameters and their gradients (twin structs of one type, see cell_parameters.hpp),
// with the one traversal every consumer uses: the optimizer, checkpoints, importers and tests.
#include <cstddef>
#include <string_view>
#include <utility>

namespace rnncell {

template <class Params>
class parameterized {
 public:
  Params params;  ///< zero until initialised or set
  Params grads;   ///< accumulated by backward; zero_grad() clears

  /// Calls f(std::string_view name, tensor& p) for every parameter, in a fixed order.
  template <class F>
  void for_each_parameter(F&& f) {
    Params::each([&](const char* name, auto&... t) { f(std::string_view(name), t...); }, params);
  }
  /// Calls f(name, param, grad) for every parameter.
  template <class F>
  void for_each_parameter_and_grad(F&& f) {
    Params::each([&](const char* name, auto&... t) { f(std::string_view(name), t...); }, params, grads);
  }
  void zero_grad() {
    Params::each([](const char*, auto& g) { g.fill(0); }, grads);
  }
  std::size_t parameter_count() {
    std::size_t n = 0;
    Params::each([&](const char*, auto& p) { n += p.size(); }, params);
    return n;
  }

 protected:
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
