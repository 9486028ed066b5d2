#pragma once
// Parameters by name, for importers, checkpoints and tests: names are those of for_each_parameter
// ("Wx", "layer1.Wh", "rnn.layer0.b", "head.W", ...).
#include <rnncell/detail/shapes.hpp>
#include <rnncell/detail/xtensor.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rnncell {

template <class Obj>
std::vector<std::string> parameter_names(Obj& obj) {
  std::vector<std::string> names;
  obj.for_each_parameter([&](std::string_view name, auto&) { names.emplace_back(name); });
  return names;
}

namespace detail {
template <class Obj>
[[noreturn]] void unknown_parameter(Obj& obj, std::string_view name) {
  std::string known;
  for (const auto& n : parameter_names(obj)) known += (known.empty() ? "" : ", ") + n;
  throw std::out_of_range("rnncell: no parameter named '" + std::string(name) + "'; known: " + known);
}
}  // namespace detail

/// A copy of the parameter called name.
template <class Obj>
xt::xarray<typename Obj::value_type> get_parameter(Obj& obj, std::string_view name) {
  xt::xarray<typename Obj::value_type> out;
  bool found = false;
  obj.for_each_parameter([&](std::string_view n, auto& p) {
    if (n == name) out = p, found = true;
  });
  if (!found) detail::unknown_parameter(obj, name);
  return out;
}

/// Overwrites the parameter called name; value must have its shape.
template <class Obj>
void set_parameter(Obj& obj, std::string_view name, const xt::xarray<typename Obj::value_type>& value) {
  bool found = false;
  obj.for_each_parameter([&](std::string_view n, auto& p) {
    if (n != name) return;
    found = true;
    if (!std::equal(value.shape().begin(), value.shape().end(), p.shape().begin(), p.shape().end()))
      throw std::invalid_argument("rnncell: parameter '" + std::string(name) + "' has shape " +
                                  detail::shape_string(p.shape()) + ", given " + detail::shape_string(value.shape()));
    std::copy(value.begin(), value.end(), p.begin());
  });
  if (!found) detail::unknown_parameter(obj, name);
}

}  // namespace rnncell
