#pragma once
/// @file
/// Parameters by name, for importers, checkpoints and tests: names are those of for_each_parameter
/// ("Wx", "layer1.Wh", "rnn.layer0.b", "head.W", ...).
#include <rnncell/detail/shapes.hpp>
#include <rnncell/detail/xtensor.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rnncell {

/// The names of obj's parameters, in for_each_parameter's order.
/// @tparam Obj a cell, Stacked, Dense or Model: anything with `for_each_parameter(f)`.
/// @param obj whose parameters are named.
/// @return one name per parameter, e.g. {"rnn.layer0.Wx", ..., "head.b"} for a Model.
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
/// @tparam Obj anything with `for_each_parameter(f)` and a `value_type`.
/// @param obj whose parameter is read.
/// @param name as parameter_names() gives it, e.g. "rnn.layer1.Wh".
/// @return a copy in the parameter's shape; changing it does not change obj.
/// @throws std::out_of_range if obj has no parameter called name (the message lists those it has).
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
/// @tparam Obj anything with `for_each_parameter(f)` and a `value_type`.
/// @param obj whose parameter is written.
/// @param name as parameter_names() gives it, e.g. "head.W".
/// @param value the new values, in the parameter's shape.
/// @throws std::out_of_range if obj has no parameter called name.
/// @throws std::invalid_argument if value's shape is not the parameter's (both are named).
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
