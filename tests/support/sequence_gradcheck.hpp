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
#include <string>
#include <string_view>

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

template <class S>
sequence_gradcheck_result gradcheck_sequence(loss_on where, std::size_t steps, std::size_t batch) {
  constexpr std::size_t In = S::input_width, H = S::hidden_width;
  rng g(42);
  S s;
  s.for_each_parameter([&](auto, auto& p) { fill_uniform(p, g); });
  xt::xtensor<double, 3> x(std::array{steps, batch, In});
  xt::xtensor<double, initial_state_shape<S>(0).size()> h0(initial_state_shape<S>(batch));
  xt::xtensor<double, 3> w(std::array{steps, batch, H});
  fill_uniform(x, g, 1.0), fill_uniform(h0, g, 0.8), fill_uniform(w, g, 1.0);
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

}  // namespace rnncell::test
