// A float training pass on every kernel path: the step loops (BaseRNNCell runs them compiled for
// the active path when T is float, kernels::run_on_active_path), the packed products and the
// weight gradients. For each cell kind in a 2-layer Stack, forward and backward (a loss gradient
// at every step) on each path this CPU has; every gradient, dx and dh0 within 1e-5 (relative to
// the largest entry of its tensor) of the portable path's, and the portable path within 1e-4 of
// the same pass in double (which the gradient checks prove against finite differences). And the
// LSTM gate row on every path with pre-activations past the activations' clamps, against the
// portable row.
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
#include <iterator>
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

namespace {

// One LSTM gate row (kernels::lstm_row_on) on path I for H columns at stride Stride: a's four gate
// blocks from pre, c from c_prev; returns [i | f | g | o | h | c' | tanh(c')].
template <kernels::isa I, std::size_t H, std::size_t Stride>
std::vector<double> lstm_row_results(const std::vector<float>& pre, const std::vector<float>& c_prev) {
  std::vector<float> a(pre), c(c_prev), h(H), tanh_c(H);
  kernels::lstm_row_on<I, H, Stride, true>(a.data(), static_cast<const float*>(nullptr), c.data(), h.data(), c.data(),
                                           tanh_c.data());
  std::vector<double> out;
  for (std::size_t k = 0; k < 4; ++k) out.insert(out.end(), a.begin() + k * Stride, a.begin() + k * Stride + H);
  for (const auto* v : {&h, &c, &tanh_c}) out.insert(out.end(), v->begin(), v->end());
  return out;
}

// Pre-activations far past the activations' clamps (sigmoid's [-88, 87], tanh's +-7.905, which
// the SIMD rows apply only to a vector with a lane out of range: simd_gates.ipp), some lanes in
// range beside them, and cells whose tanh(c') clamps: every path's row equals the portable one's.
template <std::size_t H, std::size_t Stride>
void check_saturated_lstm_row() {
  CAPTURE(H);
  CAPTURE(Stride);
  const float extremes[] = {-1e30f, -1e4f, -300.0f, -88.5f, -88.0f, -87.5f, -9.0f, -7.9f, -0.5f, 0.0f, 0.25f,
                            7.95f, 8.5f, 86.9f, 87.0f, 87.25f, 200.0f, 1e5f, 3e38f};
  constexpr std::size_t count = std::size(extremes);
  std::vector<float> pre(4 * Stride), c_prev(H);
  for (std::size_t k = 0; k < 4; ++k)
    for (std::size_t j = 0; j < H; ++j) pre[k * Stride + j] = extremes[(j + 5 * k) % count];
  for (std::size_t j = 0; j < H; ++j) c_prev[j] = j % 3 == 0 ? 0.5f : (j % 3 == 1 ? 40.0f : -12.0f);
  const auto portable = lstm_row_results<kernels::isa::portable, H, Stride>(pre, c_prev);
  for (const double v : portable) REQUIRE(std::isfinite(v));
  on_every_path([&](kernels::isa path) {
    std::vector<double> got;
    kernels::dispatch(path, [&](auto tag) { got = lstm_row_results<decltype(tag)::value, H, Stride>(pre, c_prev); });
    REQUIRE(got.size() == portable.size());
    double worst = 0;
    for (std::size_t j = 0; j < got.size(); ++j) {
      CHECK_MESSAGE(std::isfinite(got[j]), "value " << j << " is " << got[j]);
      worst = std::max(worst, std::abs(got[j] - portable[j]) / std::max(1.0, std::abs(portable[j])));
    }
    CHECK_MESSAGE(worst <= 1e-6, "largest difference from the portable row (relative past 1): " << worst);
  });
}

}  // namespace

TEST_CASE("gate rows clamp as the portable ones: pre-activations far outside the activations' ranges") {
  check_saturated_lstm_row<16, 16>();  // whole zmm vectors on AVX-512
  check_saturated_lstm_row<8, 8>();    // ymm vectors
  check_saturated_lstm_row<19, 19>();  // a masked tail vector
  check_saturated_lstm_row<50, 56>();  // the streaming layers' padded blocks
}
