#pragma once
// Finite-difference gradient checks in double: central differences on every entry of every
// parameter, of the input and of the initial state, against the analytic backward pass.
// The five-point stencil (truncation error O(h^4)) allows a step large enough that rounding in the
// loss stays far below the 1e-6 bound; the two-point one with h = 1e-6 sits right at it.
#include <rnncell/random.hpp>

#include <doctest/doctest.h>
#include <xtensor/xtensor.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace rnncell::test {

inline constexpr double fd_step = 1e-4;
// Relative error |a - n| / max(|a|, |n|, floor): relative for real gradients, absolute (times the
// floor) for gradients that are zero up to rounding.
inline constexpr double relative_floor = 1e-3;
inline constexpr double max_relative_error = 1e-6;

inline double relative_error(double analytic, double numeric) {
  return std::abs(analytic - numeric) / std::max({std::abs(analytic), std::abs(numeric), relative_floor});
}

/// Fills t with U(-scale, scale) from g.
template <class Tensor>
void fill_uniform(Tensor& t, rng& g, double scale = 0.5) {
  for (auto& v : t) v = g.uniform(-scale, scale);
}

/// Compares analytic(i) with the central difference of loss() in every entry i of values;
/// returns the largest relative error and fails the test above max_relative_error.
template <class Tensor, class Analytic, class Loss>
double check_entries(const std::string& what, Tensor& values, const Analytic& analytic, Loss&& loss) {
  double worst = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    double& v = values.data()[i];
    const double saved = v;
    auto at = [&](double offset) {
      v = saved + offset;
      return loss();
    };
    const double numeric =
        (8 * (at(fd_step) - at(-fd_step)) - (at(2 * fd_step) - at(-2 * fd_step))) / (12 * fd_step);
    v = saved;
    const double err = relative_error(analytic.data()[i], numeric);
    worst = std::max(worst, err);
    if (err > max_relative_error)
      FAIL_CHECK(what << "[" << i << "]: analytic " << analytic.data()[i] << ", numeric " << numeric);
  }
  return worst;
}

}  // namespace rnncell::test
