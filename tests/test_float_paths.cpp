// A float training pass on every kernel path: the step loops (BaseRNNCell runs them compiled for
// the active path when T is float, kernels::run_on_active_path), the packed products and the
// weight gradients. For each cell kind in a 2-layer Stack, forward and backward (a loss gradient
// at every step) on each path this CPU has; every gradient, dx and dh0 within 1e-5 (relative to
// the largest entry of its tensor) of the portable path's, and the portable path within 1e-4 of
// the same pass in double (which the gradient checks prove against finite differences).
#include "support/kernel_paths.hpp"

#include <rnncell/gru.hpp>
#include <rnncell/lstm.hpp>
#include <rnncell/mgu.hpp>
#include <rnncell/random.hpp>
#include <rnncell/stacked.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

using namespace rnncell;
using test::on_every_path;

namespace {

constexpr std::size_t steps = 6, batch = 5;

// Every gradient (in traversal order), then dx and dh0, of one forward and backward of net on a
// seeded input and loss gradient, as double.
template <class Net>
std::vector<std::vector<double>> pass_results(Net& net) {
  using T = typename Net::value_type;
  rng g(11);
  xt::xtensor<T, 3> x({steps, batch, Net::input_width}), dh({steps, batch, Net::hidden_width});
  for (auto& v : x) v = T(g.uniform(-1, 1));
  for (auto& v : dh) v = T(g.uniform(-1, 1));
  typename Net::workspace ws;
  net.zero_grad();
  net.forward(x, ws);
  net.backward(x, ws, dh);
  std::vector<std::vector<double>> out;
  net.for_each_parameter_and_grad([&](auto, auto&, auto& grad) { out.emplace_back(grad.begin(), grad.end()); });
  const auto dx = ws.dx();
  out.emplace_back(dx.begin(), dx.end());
  const auto dh0 = ws.dh0();
  out.emplace_back(dh0.begin(), dh0.end());
  return out;
}

// The largest difference over each tensor, relative to that tensor's largest entry (row_error).
double worst_relative(const std::vector<std::vector<double>>& got, const std::vector<std::vector<double>>& expected) {
  REQUIRE(got.size() == expected.size());
  double worst = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    REQUIRE(got[i].size() == expected[i].size());
    worst = std::max(worst, test::row_error(std::span<const double>(got[i]), expected[i].data()));
  }
  return worst;
}

template <template <class> class StackOf>
void check_float_paths() {
  StackOf<float> net;
  StackOf<double> reference;
  rng g(5), g_double(5);
  net.initialize(g);
  reference.initialize(g_double);  // the same draws: the float weights are the double ones rounded
  const auto exact = pass_results(reference);
  kernels::force_isa(kernels::isa::portable);
  const auto portable = pass_results(net);
  kernels::clear_forced_isa();
  CHECK(worst_relative(portable, exact) <= 1e-4);
  on_every_path([&](kernels::isa) { CHECK(worst_relative(pass_results(net), portable) <= 1e-5); });
}

template <class T>
using gru_rb_stack = Stacked<GRUCell<7, 20, T, reset_before>, 2>;
template <class T>
using gru_ra_stack = Stacked<GRUCell<7, 33, T, reset_after>, 2>;
template <class T>
using mgu_stack = Stacked<MGUCell<7, 50, T>, 2>;
template <class T>
using lstm_stack = Stacked<LSTMCell<7, 17, T>, 2>;

}  // namespace

TEST_CASE("float passes agree on every kernel path: GRU reset_before, GRU reset_after, MGU, LSTM") {
  check_float_paths<gru_rb_stack>();
  check_float_paths<gru_ra_stack>();
  check_float_paths<mgu_stack>();
  check_float_paths<lstm_stack>();
}
