// The conventions pinned with numbers: update direction, reset placement, streaming equals
// sequence forward, initialisation, names, importers and error messages (the generator: test_random.cpp).
#include "support/gradcheck.hpp"

#include <rnncell/rnncell.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

using namespace rnncell;
using rnncell::test::fill_uniform;

namespace {

// With all weights zero, a gate's value is sigmoid of its bias: +-40 pins it to 1 or 0.
template <class Cell>
xt::xtensor<double, 2> one_step(Cell& cell, double h0_value) {
  xt::xtensor<double, 3> x = xt::ones<double>({std::size_t(1), std::size_t(2), Cell::input_width});
  xt::xtensor<double, 2> h0 = xt::full_like(xt::xtensor<double, 2>::from_shape({2, Cell::hidden_width}), h0_value);
  typename Cell::workspace ws;
  cell.forward(x, ws, h0);
  return ws.last_output();
}

}  // namespace

TEST_CASE("GRU update convention: z = 1 takes the candidate n, z = 0 keeps h") {
  GRUCell<3, 4, double> cell;
  cell.params.b.fill(0.0);
  xt::view(cell.params.b, xt::range(8, 12)) = 0.3;  // candidate bias: n = tanh(0.3)
  xt::view(cell.params.b, xt::range(0, 4)) = 40.0;  // z = 1
  CHECK(xt::allclose(one_step(cell, 0.7), std::tanh(0.3)));
  xt::view(cell.params.b, xt::range(0, 4)) = -40.0;  // z = 0
  CHECK(xt::allclose(one_step(cell, 0.7), 0.7));
}

TEST_CASE("GRU reset_before: r multiplies h before the recurrent product") {
  GRUCell<3, 4, double> cell;
  xt::view(cell.params.b, xt::range(0, 4)) = 40.0;  // z = 1: h' = n
  cell.params.Wh.fill(0.25);                         // Whn = 0.25 everywhere
  xt::view(cell.params.b, xt::range(4, 8)) = -40.0;  // r = 0: n = tanh(0)
  CHECK(xt::allclose(one_step(cell, 0.7), 0.0));
  xt::view(cell.params.b, xt::range(4, 8)) = 40.0;  // r = 1: n = tanh(sum_k h_k * 0.25) = tanh(0.7)
  CHECK(xt::allclose(one_step(cell, 0.7), std::tanh(0.7)));
}

TEST_CASE("GRU reset_after: r multiplies (h Whn + bhn), so r = 0 also drops the recurrent bias") {
  GRUCell<3, 4, double, reset_after> cell;
  xt::view(cell.params.b, xt::range(0, 4)) = 40.0;
  xt::view(cell.params.bh, xt::range(8, 12)) = 0.5;
  xt::view(cell.params.b, xt::range(4, 8)) = -40.0;
  CHECK(xt::allclose(one_step(cell, 0.7), 0.0));
  xt::view(cell.params.b, xt::range(4, 8)) = 40.0;
  CHECK(xt::allclose(one_step(cell, 0.7), std::tanh(0.5)));
}

TEST_CASE("MGU update convention: f = 1 takes the candidate, f = 0 keeps h") {
  MGUCell<3, 4, double> cell;
  xt::view(cell.params.b, xt::range(4, 8)) = 0.3;
  xt::view(cell.params.b, xt::range(0, 4)) = 40.0;
  CHECK(xt::allclose(one_step(cell, 0.7), std::tanh(0.3)));
  xt::view(cell.params.b, xt::range(0, 4)) = -40.0;
  CHECK(xt::allclose(one_step(cell, 0.7), 0.7));
}

TEST_CASE("streaming step() reproduces the sequence forward, batched and one sample at a time") {
  GRUCell<5, 7, double> cell;
  rng g(3);
  cell.for_each_parameter([&](auto, auto& p) { fill_uniform(p, g); });
  xt::xtensor<double, 3> x = xt::zeros<double>({6, 2, 5});
  fill_uniform(x, g, 1.0);
  GRUCell<5, 7, double>::workspace seq, stream;
  cell.forward(x, seq);
  xt::xtensor<double, 2> h = xt::zeros<double>({2, 7});
  std::array<double, 7> h1{};
  for (std::size_t t = 0; t < 6; ++t) {
    cell.step(xt::xtensor<double, 2>(xt::view(x, t)), h, stream);
    CHECK(xt::allclose(h, xt::view(seq.outputs(), t)));
    std::array<double, 5> x1;
    for (std::size_t k = 0; k < 5; ++k) x1[k] = x(t, 1, k);
    cell.step(x1, h1, stream);
    for (std::size_t k = 0; k < 7; ++k) CHECK(h1[k] == doctest::Approx(h(1, k)).epsilon(1e-12));
  }
}

TEST_CASE("Glorot-uniform per gate over (In + H) x H, zero biases, reproducible from the seed") {
  using M = Model<Stacked<GRUCell<28, 50>, 2>, Dense<50, 10>>;
  M a(1000), b(1000), c(1001);
  const double cell_limit0 = std::sqrt(6.0 / (28 + 2 * 50)), cell_limit1 = std::sqrt(6.0 / (50 + 2 * 50));
  const double head_limit = std::sqrt(6.0 / (50 + 10));
  auto check_limit = [](const auto& w, double limit) {
    const double top = xt::amax(xt::abs(w))();
    CHECK(top <= limit);
    CHECK(top > 0.98 * limit);  // thousands of draws reach close to the bound
  };
  check_limit(a.rnn.layer<0>().params.Wx, cell_limit0);
  check_limit(a.rnn.layer<0>().params.Wh, cell_limit0);
  check_limit(a.rnn.layer<1>().params.Wx, cell_limit1);
  check_limit(a.head.params.W, head_limit);
  CHECK(xt::amax(xt::abs(a.rnn.layer<1>().params.b))() == 0);
  CHECK(xt::amax(xt::abs(a.head.params.b))() == 0);
  CHECK(a.rnn.layer<0>().params.Wh == b.rnn.layer<0>().params.Wh);
  CHECK(a.rnn.layer<0>().params.Wh != c.rnn.layer<0>().params.Wh);
  // Row-major per gate: the z gate's first row of Wx holds the generator's first draws.
  rng g(1000);
  CHECK(a.rnn.layer<0>().params.Wx(0, 0) == float(g.uniform(-cell_limit0, cell_limit0)));
  CHECK(a.rnn.layer<0>().params.Wx(0, 1) == float(g.uniform(-cell_limit0, cell_limit0)));
}

TEST_CASE("parameters by name: names, get, set, and clear errors") {
  Model<Stacked<MGUCell<5, 7>, 2>, Dense<7, 3>> m(1);
  CHECK(parameter_names(m) == std::vector<std::string>{"rnn.layer0.Wx", "rnn.layer0.Wh", "rnn.layer0.b",
                                                       "rnn.layer1.Wx", "rnn.layer1.Wh", "rnn.layer1.b", "head.W",
                                                       "head.b"});
  CHECK(m.parameter_count() == (5 * 14 + 7 * 14 + 14) + (7 * 14 + 7 * 14 + 14) + (7 * 3 + 3));
  xt::xarray<float> w = xt::ones<float>({7, 3});
  set_parameter(m, "head.W", w);
  CHECK(m.head.params.W == w);
  CHECK(get_parameter(m, "rnn.layer1.Wh") == m.rnn.layer<1>().params.Wh);
  CHECK_THROWS_WITH_AS(set_parameter(m, "head.W", xt::xarray<float>(xt::ones<float>({3, 7}))),
                       "rnncell: parameter 'head.W' has shape (7, 3), given (3, 7)", std::invalid_argument);
  CHECK_THROWS_WITH_AS(get_parameter(m, "head.V"), doctest::Contains("no parameter named 'head.V'; known: rnn.layer0.Wx"),
                       std::out_of_range);
}

TEST_CASE("bad shapes and labels are clear errors naming the shapes") {
  GRUCell<5, 7> cell;
  GRUCell<5, 7>::workspace ws;
  xt::xtensor<float, 3> wrong = xt::zeros<float>({4, 3, 6});
  CHECK_THROWS_WITH_AS(cell.forward(wrong, ws), "rnncell: input x has shape (4, 3, 6), expected (4, 3, 5) (T, B, In)",
                       std::invalid_argument);
  xt::xtensor<float, 3> x = xt::zeros<float>({4, 3, 5});
  cell.forward(x, ws);
  xt::xtensor<float, 3> other = xt::zeros<float>({2, 3, 5});
  CHECK_THROWS_AS(cell.backward(other, ws, xt::xtensor<float, 3>(xt::zeros<float>({2, 3, 7}))), std::invalid_argument);
  Model<GRUCell<5, 7>, Dense<7, 3>> m(0);
  const std::vector<int> labels{0, 3, 1};
  CHECK_THROWS_WITH_AS(m.train_on_batch(x, labels), "rnncell: label 3 at batch index 1 is outside 0..2",
                       std::invalid_argument);
}

TEST_CASE("Keras GRU import (z negated) reproduces Keras' own equations") {
  // Keras, reset_after=False: z = s(x Wz + h Uz + bz), r likewise, hh = tanh(x Wh + (r*h) Uh + bh),
  // h' = z * h + (1 - z) * hh, with kernel columns [z | r | h].
  constexpr std::size_t In = 3, H = 4;
  rng g(9);
  xt::xtensor<double, 2> kernel = xt::zeros<double>({In, 3 * H}), rec = xt::zeros<double>({H, 3 * H});
  xt::xarray<double> bias = xt::zeros<double>({3 * H});
  xt::xtensor<double, 2> x = xt::zeros<double>({std::size_t(1), In}), h = xt::zeros<double>({std::size_t(1), H});
  fill_uniform(kernel, g), fill_uniform(rec, g), fill_uniform(bias, g), fill_uniform(x, g), fill_uniform(h, g);
  auto sig = [](double a) { return 1 / (1 + std::exp(-a)); };
  std::vector<double> expected(H);
  for (std::size_t j = 0; j < H; ++j) {
    double az = bias(j);
    for (std::size_t i = 0; i < In; ++i) az += x(0, i) * kernel(i, j);
    for (std::size_t k = 0; k < H; ++k) az += h(0, k) * rec(k, j);
    expected[j] = az;  // z's pre-activation; the candidate needs every unit's r first
  }
  std::vector<double> r(H);
  for (std::size_t j = 0; j < H; ++j) {
    double ar = bias(H + j);
    for (std::size_t i = 0; i < In; ++i) ar += x(0, i) * kernel(i, H + j);
    for (std::size_t k = 0; k < H; ++k) ar += h(0, k) * rec(k, H + j);
    r[j] = sig(ar);
  }
  for (std::size_t j = 0; j < H; ++j) {
    double an = bias(2 * H + j);
    for (std::size_t i = 0; i < In; ++i) an += x(0, i) * kernel(i, 2 * H + j);
    for (std::size_t k = 0; k < H; ++k) an += r[k] * h(0, k) * rec(k, 2 * H + j);
    const double z = sig(expected[j]);
    expected[j] = z * h(0, j) + (1 - z) * std::tanh(an);
  }
  GRUCell<In, H, double> cell;
  import_keras_gru(cell, kernel, rec, bias);
  GRUCell<In, H, double>::workspace ws;
  cell.step(x, h, ws);
  for (std::size_t j = 0; j < H; ++j) CHECK(h(0, j) == doctest::Approx(expected[j]).epsilon(1e-12));
  CHECK_THROWS_AS(import_keras_gru(cell, kernel, rec, xt::xarray<double>(xt::zeros<double>({std::size_t(2), 3 * H}))),
                  std::invalid_argument);
}
