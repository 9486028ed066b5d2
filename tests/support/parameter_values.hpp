#pragma once
// Every parameter's value of a net, in its fixed order, as double: to compare two nets, or a net
// before and after a refused load or import (which must have written nothing).
#include <doctest/doctest.h>

#include <rnncell/detail/xtensor.hpp>

#include <cstddef>
#include <string_view>
#include <vector>

namespace rnncell::test {

template <class Net>
std::vector<xt::xarray<double>> parameters_of(Net& net) {
  std::vector<xt::xarray<double>> values;
  net.for_each_parameter([&](std::string_view, auto& p) { values.push_back(xt::cast<double>(p)); });
  return values;
}

/// Fails the test for every parameter that differs from `before` (parameters_of of the same net).
template <class Net>
void check_unchanged(Net& net, const std::vector<xt::xarray<double>>& before) {
  const auto after = parameters_of(net);
  REQUIRE(after.size() == before.size());
  for (std::size_t i = 0; i < after.size(); ++i) CHECK_MESSAGE(after[i] == before[i], "parameter " << i << " changed");
}

}  // namespace rnncell::test
