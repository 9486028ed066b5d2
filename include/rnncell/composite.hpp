#pragma once
/// @file
/// composite<Derived>: a part made of named parts (Stacked: "layer0" .. "layer<N-1>"; Model: "rnn"
/// and "head"). Derived supplies one traversal, for_each_part(f), calling f(part_name, part&) for
/// each part in a fixed order; every parameter visitor is built on it, so the optimizer,
/// checkpoints, names and importers see "<part>.<name>" for each parameter of each part.
#include <rnncell/detail/names.hpp>
#include <rnncell/random.hpp>

#include <cstddef>
#include <string_view>

namespace rnncell {

/// The parameter visitors, gradient reset, count and initialisation of a part made of named parts,
/// all built on Derived's one traversal for_each_part(f). A parameter is named "<part>.<name>".
/// @tparam Derived the part deriving from it (CRTP): Stacked or Model.
template <class Derived>
class composite {
 public:
  /// Calls f(std::string_view name, tensor& p) for every parameter of every part.
  /// @tparam F a callable f(std::string_view, xt::xtensor<T, N>&) for N = 1 and 2.
  /// @param f called once per parameter, in a fixed order, with its name ("layer0.Wx").
  template <class F>
  void for_each_parameter(F&& f) {
    visit_parameters<false>(f);
  }
  /// Calls f(name, param, grad) for every parameter of every part.
  /// @tparam F a callable f(std::string_view, xt::xtensor<T, N>&, xt::xtensor<T, N>&).
  /// @param f called once per parameter, in a fixed order, with its name, value and gradient.
  template <class F>
  void for_each_parameter_and_grad(F&& f) {
    visit_parameters<true>(f);
  }
  /// Sets every gradient of every part to zero.
  void zero_grad() {
    derived().for_each_part([](detail::part_name, auto& part) { part.zero_grad(); });
  }
  /// How many scalars the parameters hold.
  /// @return the number of entries over every parameter of every part.
  std::size_t parameter_count() {
    std::size_t n = 0;
    derived().for_each_part([&](detail::part_name, auto& part) { n += part.parameter_count(); });
    return n;
  }
  /// Initialises every part in traversal order from one generator.
  /// @param g the generator the weights are drawn from.
  void initialize(rng& g) {
    derived().for_each_part([&](detail::part_name, auto& part) { part.initialize(g); });
  }

 private:
  Derived& derived() { return static_cast<Derived&>(*this); }

  template <bool WithGrads, class F>
  void visit_parameters(F& f) {
    derived().for_each_part([&](detail::part_name part_name, auto& part) {
      auto prefixed = [&](std::string_view name, auto&... tensors) {
        f(detail::joined_name(part_name, name).view(), tensors...);
      };
      if constexpr (WithGrads)
        part.for_each_parameter_and_grad(prefixed);
      else
        part.for_each_parameter(prefixed);
    });
  }
};

}  // namespace rnncell
