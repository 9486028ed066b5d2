#pragma once
// Finite-difference check of a cell or a stack over a sequence: every parameter, dx and the
// gradient of the whole initial state (h0, or [h0 | c0] for LSTM; a stack's (N, B, S)). Loss =
// sum_t sum(w_t * h_t) (or only t = T), so dLoss/dh_t = w_t: every step's output and the recurrent
// path carry gradient. Random non-zero initial states, so that terms depending on them are
// exercised.
#include "gradcheck.hpp"

#include <rnncell/random.hpp>

#include <xtensor/xarray.hpp>
#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rnncell::test {

enum class loss_on { all_steps, last_step };

/// The largest relative error over every checked entry, and the analytic d(initial state).
struct sequence_gradcheck_result {
  double worst = 0;
  xt::xarray<double> d_initial_state;
};

template <class S>
constexpr auto initial_state_shape(std::size_t batch) {
  if constexpr (requires { S::layer_count; })
    return std::array{S::layer_count, batch, S::state_width};
  else
    return std::array{batch, S::state_width};
}

/// A net with random parameters, inputs x (T, B, In), a random non-zero initial state h0 and loss
/// weights w (T, B, H) for its outputs, drawn in that order from rng(seed); g draws on for more.
template <class S>
struct random_sequence_problem {
  rng g;
  S s;
  xt::xtensor<double, 3> x, w;
  xt::xtensor<double, initial_state_shape<S>(0).size()> h0;

  random_sequence_problem(std::uint64_t seed, std::size_t steps, std::size_t batch)
      : g(seed), x(std::array{steps, batch, S::input_width}), w(std::array{steps, batch, S::hidden_width}),
        h0(initial_state_shape<S>(batch)) {
    s.for_each_parameter([&](auto, auto& p) { fill_uniform(p, g); });
    fill_uniform(x, g, 1.0), fill_uniform(h0, g, 0.8), fill_uniform(w, g, 1.0);
  }
};

template <class S>
sequence_gradcheck_result gradcheck_sequence(loss_on where, std::size_t steps, std::size_t batch) {
  constexpr std::size_t H = S::hidden_width;
  random_sequence_problem<S> problem(42, steps, batch);
  S& s = problem.s;  // references, not structured bindings: clang 14 cannot capture those in lambdas
  auto &x = problem.x, &w = problem.w;
  auto& h0 = problem.h0;
  const xt::xtensor<double, 2> w_last = xt::view(w, steps - 1);
  typename S::workspace ws;

  auto loss = [&] {
    s.forward(x, ws, h0);
    auto out = ws.outputs();
    double l = 0;
    for (std::size_t t = where == loss_on::all_steps ? 0 : steps - 1; t < steps; ++t)
      for (std::size_t i = 0; i < batch; ++i)
        for (std::size_t j = 0; j < H; ++j) l += w(t, i, j) * out(t, i, j);
    return l;
  };

  s.zero_grad();
  s.forward(x, ws, h0);
  if (where == loss_on::all_steps)
    s.backward(x, ws, w);
  else
    s.backward_last(x, ws, w_last);
  const xt::xtensor<double, 3> dx = ws.dx();
  auto dh0 = xt::zeros_like(h0);
  dh0 = ws.dh0();  // shaped as h0: (B, S) for a cell, (N, B, S) for a stack

  sequence_gradcheck_result result;
  s.for_each_parameter_and_grad([&](std::string_view name, auto& p, auto& grad) {
    result.worst = std::max(result.worst, check_entries(std::string(name), p, grad, loss));
  });
  result.worst = std::max(result.worst, check_entries("dx", x, dx, loss));
  result.worst = std::max(result.worst, check_entries("d(initial state)", h0, dh0, loss));
  result.d_initial_state = dh0;
  return result;
}

/// Loss = sum over valid steps of w_t * output_t + v * (the final state's h parts, ws.last_output():
/// h_T of a cell or a stack, [h_fwd_T | h_bwd_1] of a Bidirectional); every parameter, x and h0
/// checked by central differences, and the padded steps' inputs must get exactly zero gradient.
/// backward (from w) and backward_last (from v) run one after the other: the parameters' gradients
/// accumulate, dx and dh0 are summed. lengths empty: full-length sequences.
/// @return the largest relative error.
template <class S>
double gradcheck_with_final_state(std::size_t steps, std::size_t batch, const std::vector<int>& lengths) {
  constexpr std::size_t H = S::hidden_width;
  random_sequence_problem<S> problem(7, steps, batch);
  S& s = problem.s;
  auto &x = problem.x, &w = problem.w;
  auto& h0 = problem.h0;
  xt::xtensor<double, 2> v(std::array{batch, H});
  fill_uniform(v, problem.g, 1.0);
  for (std::size_t t = 0; t < steps; ++t)
    for (std::size_t b = 0; b < batch; ++b)
      if (!lengths.empty() && t >= std::size_t(lengths[b])) xt::view(w, t, b) = 0.0;
  typename S::workspace ws;
  const auto forward = [&] {
    if (lengths.empty())
      s.forward(x, ws, h0);
    else
      s.forward(x, ws, h0, lengths);
  };
  auto loss = [&] {
    forward();
    auto out = ws.outputs();
    auto last = ws.last_output();
    double l = 0;
    for (std::size_t i = 0; i < batch; ++i)
      for (std::size_t j = 0; j < H; ++j) {
        for (std::size_t t = 0; t < steps; ++t) l += w(t, i, j) * out(t, i, j);
        l += v(i, j) * last(i, j);
      }
    return l;
  };

  s.zero_grad();
  forward();
  s.backward(x, ws, w);  // the parameters' gradients accumulate over the two calls
  xt::xtensor<double, 3> dx = ws.dx();
  auto dh0 = xt::zeros_like(h0);
  dh0 = ws.dh0();
  s.backward_last(x, ws, v);
  dx += ws.dx();
  dh0 += ws.dh0();

  double worst = 0;
  s.for_each_parameter_and_grad([&](std::string_view name, auto& p, auto& grad) {
    worst = std::max(worst, check_entries(std::string(name), p, grad, loss));
  });
  worst = std::max(worst, check_entries("dx", x, dx, loss));
  worst = std::max(worst, check_entries("dh0", h0, dh0, loss));
  for (std::size_t t = 0; t < steps; ++t)  // the padded steps' inputs get exactly zero gradient
    for (std::size_t b = 0; b < batch; ++b)
      if (!lengths.empty() && t >= std::size_t(lengths[b])) CHECK(xt::amax(xt::abs(xt::view(dx, t, b)))() == 0.0);
  return worst;
}

}  // namespace rnncell::test
