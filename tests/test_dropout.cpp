// Dropout (issue 30): the cells' dropout and recurrent_dropout (Keras: one mask per sequence and
// layer, fixed across steps, recurrent on h where it enters the products) and Stacked::dropout
// (PyTorch: a fresh mask per step between layers). Proofs: an autograd oracle in float64 with the
// masks drawn as the library draws them (tests/oracle/make_dropout_fixtures.py); finite
// differences of every parameter and x with the masks held fixed (the same generator seed at every
// forward), ragged lengths, every cell, Bidirectional stacks and a user's cell; rates 0 are the
// code without dropout bit for bit; Model and SequenceModel draw from their seeded generator in
// training only. Compiled into the per-ISA runner too: every kernel path runs these.
#include "support/dropout_rates.hpp"
#include "support/elman_cell.hpp"
#include "support/gradcheck.hpp"
#include "support/parameter_values.hpp"

#include <rnncell/rnncell.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

using namespace rnncell;
using rnncell::test::fill_uniform;
using rnncell::test::set_cell_dropout;

namespace {

constexpr std::size_t steps = 5, batch = 4;

double largest_difference(matrix_ref<const double> m, const xt::xarray<double>& want) {
  REQUIRE(want.size() == m.rows * m.cols);
  double worst = 0;
  for (std::size_t i = 0; i < m.rows; ++i)
    for (std::size_t j = 0; j < m.cols; ++j) worst = std::max(worst, std::abs(m.row(i)[j] - want.data()[i * m.cols + j]));
  return worst;
}

// A 2-layer stack of Cell (In 3, H 4, float64) with the fixture's weights, rates and generator
// seed, run forward in training over the fixture's ragged batch and backward from
// loss = sum(w * outputs) + sum(v * last): masks, outputs, last states, dx and every gradient
// against the autograd oracle's.
template <class Cell>
void check_dropout_oracle(const char* name) {
  using S = Stacked<Cell, 2>;
  const tensor_map t = read_tensors(std::string(RNNCELL_ORACLE_DIR) + "/dropout/" + name + ".npz");
  S stack;
  stack.for_each_parameter([&](std::string_view p, auto& value) { value = t.at(std::string(p)); });
  set_cell_dropout(stack, t.at("p.dropout")(0), t.at("p.recurrent_dropout")(0));
  stack.dropout = t.at("p.between")(0);
  xt::xtensor<double, 3> x = t.at("x"), w = t.at("w");
  xt::xtensor<double, 2> v = t.at("v");
  std::vector<std::size_t> lengths;
  for (const double l : t.at("lengths")) lengths.push_back(std::size_t(l));

  rng g(std::uint64_t(t.at("seed")(0)));
  typename S::workspace ws;
  stack.forward_unchecked(detail::as_sequence(x), {}, ws, lengths, &g);
  // The masks drawn are the oracle's, exactly (the draw order and rule of detail/dropout.hpp).
  CHECK(largest_difference(ws.layers[0].input_mask(), t.at("mask.layer0.input")) == 0);
  CHECK(largest_difference(ws.layers[0].recurrent_mask(), t.at("mask.layer0.recurrent")) == 0);
  CHECK(largest_difference(ws.between_mask(0).all_rows(), t.at("mask.between0")) == 0);
  CHECK(largest_difference(ws.layers[1].input_mask(), t.at("mask.layer1.input")) == 0);
  CHECK(largest_difference(ws.layers[1].recurrent_mask(), t.at("mask.layer1.recurrent")) == 0);

  double worst = largest_difference(ws.output_sequence().all_rows(), t.at("out"));
  worst = std::max(worst, largest_difference(ws.last_state(), t.at("last")));
  stack.zero_grad();
  stack.backward_unchecked(detail::as_sequence(x), ws, detail::as_sequence(w), detail::as_matrix(v), true);
  worst = std::max(worst, largest_difference(ws.layers[0].dx_matrix(), t.at("grad.x")));
  stack.for_each_parameter_and_grad([&](std::string_view p, auto&, auto& grad) {
    worst = std::max(worst, largest_difference(detail::matrix_ref<const double>(grad.data(), 1, grad.size()),
                                               t.at("grad." + std::string(p))));
  });
  MESSAGE(std::string(name) << ": largest difference from the autograd oracle (outputs, last states, dx, every gradient) "
               << worst);
  CHECK(worst < 1e-12);
}

// Random parameters (biases included) for a net, uniform in (-0.5, 0.5).
template <class Net>
void randomize(Net& net, rng& g) {
  net.for_each_parameter([&](std::string_view, auto& p) { fill_uniform(p, g); });
}

// Finite differences of loss = sum(w * outputs) + sum(v * last) through a training forward whose
// masks are held fixed (a generator of the same seed at every forward), every parameter and x.
template <class S>
double gradcheck_with_dropout(const std::vector<std::size_t>& lengths, double p_in, double p_rec, double p_between) {
  rng g(11);
  S net;
  randomize(net, g);
  set_cell_dropout(net, p_in, p_rec);
  if constexpr (requires { net.dropout = 0.0; net.layer_count; }) net.dropout = p_between;
  xt::xtensor<double, 3> x({steps, batch, S::input_width}), w({steps, batch, S::hidden_width});
  xt::xtensor<double, 2> v({batch, S::hidden_width});
  fill_uniform(x, g, 1.0);
  fill_uniform(w, g, 1.0);
  fill_uniform(v, g, 1.0);
  typename S::workspace ws;
  const auto forward = [&] {
    rng masks(2026);
    net.forward_unchecked(detail::as_sequence(x), {}, ws, lengths, &masks);
  };
  const auto loss = [&] {
    forward();
    const sequence_ref<const double> out = ws.output_sequence();
    const matrix_ref<const double> last = ws.last_state();
    double sum = 0;
    for (std::size_t t = 0; t < steps; ++t)
      for (std::size_t b = 0; b < batch; ++b)
        for (std::size_t j = 0; j < S::hidden_width; ++j) sum += w(t, b, j) * out.at(t).row(b)[j];
    for (std::size_t b = 0; b < batch; ++b)
      for (std::size_t j = 0; j < S::hidden_width; ++j) sum += v(b, j) * last.row(b)[j];
    return sum;
  };
  forward();
  net.zero_grad();
  net.backward_unchecked(detail::as_sequence(x), ws, detail::as_sequence(w), detail::as_matrix(v), true);
  const xt::xtensor<double, 3> dx = ws.dx();
  double worst = 0;
  net.for_each_parameter_and_grad([&](std::string_view name, auto& p, auto& grad) {
    const xt::xarray<double> analytic = grad;
    worst = std::max(worst, test::check_entries(std::string(name), p, analytic, loss));
  });
  return std::max(worst, test::check_entries("x", x, dx, loss));
}

template <class S>
void gradcheck_full_and_ragged(const char* what, double p_in = 0.3, double p_rec = 0.4, double p_between = 0.25) {
  const double full = gradcheck_with_dropout<S>({}, p_in, p_rec, p_between),
               ragged = gradcheck_with_dropout<S>({4, 1, 5, 2}, p_in, p_rec, p_between);
  MESSAGE(std::string(what) << ": largest relative error " << full << " (full length), " << ragged << " (ragged)");
}

}  // namespace

TEST_CASE("dropout: an autograd oracle with the library's own masks, 2-layer stacks, ragged lengths") {
  check_dropout_oracle<GRUCell<3, 4, double, reset_before>>("gru_rb");
  check_dropout_oracle<GRUCell<3, 4, double, reset_after>>("gru_ra");
  check_dropout_oracle<MGUCell<3, 4, double>>("mgu");
  check_dropout_oracle<LSTMCell<3, 4, double>>("lstm");
}

TEST_CASE("dropout: finite differences with fixed masks, every parameter and x, full and ragged lengths") {
  gradcheck_full_and_ragged<Stacked<GRUCell<3, 4, double, reset_before>, 2>>("Stacked<GRU reset-before, 2>");
  gradcheck_full_and_ragged<Stacked<GRUCell<3, 4, double, reset_after>, 2>>("Stacked<GRU reset-after, 2>");
  gradcheck_full_and_ragged<Stacked<MGUCell<3, 4, double>, 2>>("Stacked<MGU, 2>");
  gradcheck_full_and_ragged<Stacked<LSTMCell<3, 4, double>, 2>>("Stacked<LSTM, 2>");
  gradcheck_full_and_ragged<Stacked<Bidirectional<GRUCell<3, 4, double, reset_after>>, 2>>(
      "Stacked<Bidirectional<GRU reset-after>, 2>");
  gradcheck_full_and_ragged<Stacked<Bidirectional<LSTMCell<3, 4, double>>, 2>>("Stacked<Bidirectional<LSTM>, 2>");
  gradcheck_full_and_ragged<Bidirectional<MGUCell<3, 4, double>>>("Bidirectional<MGU>");
  // Each mask alone, so that one cannot hide another's error.
  gradcheck_full_and_ragged<Stacked<GRUCell<3, 4, double, reset_before>, 2>>("GRU reset-before, input only", 0.3, 0, 0);
  gradcheck_full_and_ragged<Stacked<MGUCell<3, 4, double>, 2>>("MGU, recurrent only", 0, 0.4, 0);
  gradcheck_full_and_ragged<Stacked<LSTMCell<3, 4, double>, 2>>("LSTM, between only", 0, 0, 0.25);
  // A user's cell without supports_recurrent_dropout: input dropout is the base's and works.
  gradcheck_full_and_ragged<Stacked<test::ElmanCell<3, 4>, 2>>("Stacked<Elman, 2>, input and between", 0.3, 0, 0.25);
}

TEST_CASE("dropout: rates 0 are the code without dropout, bit for bit, and draw nothing") {
  using S = Stacked<LSTMCell<3, 8, double>, 2>;
  rng g(5);
  S net;
  randomize(net, g);
  xt::xtensor<double, 3> x({steps, batch, 3}), w({steps, batch, 8});
  fill_uniform(x, g, 1.0);
  fill_uniform(w, g, 1.0);
  const std::vector<std::size_t> lengths{4, 1, 5, 2};
  const auto run = [&](rng* training) {
    typename S::workspace ws;
    net.forward_unchecked(detail::as_sequence(x), {}, ws, lengths, training);
    net.zero_grad();
    net.backward_unchecked(detail::as_sequence(x), ws, detail::as_sequence(w), {}, true);
    std::vector<xt::xarray<double>> values{xt::xarray<double>(ws.outputs()), xt::xarray<double>(ws.dx())};
    net.for_each_parameter_and_grad([&](std::string_view, auto&, auto& grad) { values.push_back(grad); });
    return values;
  };
  rng masks(9);
  const auto inference = run(nullptr), training = run(&masks);
  REQUIRE(inference.size() == training.size());
  for (std::size_t i = 0; i < inference.size(); ++i) CHECK(inference[i] == training[i]);
  CHECK(masks.next_u64() == rng(9).next_u64());
}

TEST_CASE("dropout: masks hold 0 or 1 / (1 - p) at rate p, fixed across steps inside a layer, fresh per step between layers") {
  using S = Stacked<GRUCell<16, 64>, 2>;
  S net;
  set_cell_dropout(net, 0.3, 0.2);
  net.dropout = 0.5;
  xt::xtensor<float, 3> x = xt::ones<float>({std::size_t(6), std::size_t(64), std::size_t(16)});
  typename S::workspace ws;
  rng g(1);
  net.forward_unchecked(detail::as_sequence(x), {}, ws, {}, &g);
  const auto rate_of = [](matrix_ref<const float> m, double p) {
    std::size_t zeros = 0;
    for (std::size_t i = 0; i < m.rows; ++i)
      for (std::size_t j = 0; j < m.cols; ++j) {
        const float value = m.row(i)[j];
        CHECK((value == 0 || value == float(1 / (1 - p))));
        zeros += value == 0;
      }
    return double(zeros) / double(m.rows * m.cols);
  };
  // Within 4.5 standard deviations of a binomial draw (sqrt(p (1 - p) / n)).
  CHECK(std::abs(rate_of(ws.layers[0].input_mask(), 0.3) - 0.3) < 0.065);      // 1024 values
  CHECK(std::abs(rate_of(ws.layers[1].recurrent_mask(), 0.2) - 0.2) < 0.03);   // 4096
  CHECK(std::abs(rate_of(ws.between_mask(0).all_rows(), 0.5) - 0.5) < 0.015);  // 24576
  const auto between = ws.between_mask(0);
  std::size_t differ = 0;
  for (std::size_t j = 0; j < 64; ++j) differ += between.at(0).row(0)[j] != between.at(1).row(0)[j];
  CHECK(differ > 16);  // fresh per step (half the units differ on average)
  // The layer's input mask is one per sequence: step t's input row b is x times mask row b.
  const auto dropped = ws.layers[0].dropped_input();
  for (std::size_t t = 0; t < 6; ++t)
    for (std::size_t j = 0; j < 16; ++j) CHECK(dropped.row(t * 64 + 3)[j] == ws.layers[0].input_mask().row(3)[j]);
  // The draw itself (detail/dropout.hpp): four values per 64-bit output, its 16-bit quarters
  // from the lowest up; a count that is not a multiple of four ends with one more output's low
  // quarters.
  rng drawn(5), replayed(5);
  std::array<double, 6> six{};
  detail::draw_dropout_mask(six.data(), six.size(), 0.5, drawn);
  const std::uint64_t first = replayed.next_u64(), second = replayed.next_u64();
  const auto expected = [](std::uint64_t bits, int q) { return ((bits >> (16 * q)) & 0xffffu) < 0x8000u ? 0.0 : 2.0; };
  CHECK(six == std::array{expected(first, 0), expected(first, 1), expected(first, 2), expected(first, 3),
                          expected(second, 0), expected(second, 1)});
  CHECK(drawn.next_u64() == replayed.next_u64());
  // The same rule across the draw's blocks of 32 values and a short last block: 75 floats from 19
  // outputs at rate 0.3 (threshold floor(0.3 * 2^16) = 19660).
  std::array<float, 75> many{};
  detail::draw_dropout_mask(many.data(), many.size(), 0.3, drawn);
  std::array<float, 75> rule{};
  for (std::size_t k = 0; k < rule.size(); k += 4) {
    const std::uint64_t bits = replayed.next_u64();
    for (std::size_t q = 0; q < 4 && k + q < rule.size(); ++q)
      rule[k + q] = ((bits >> (16 * q)) & 0xffffu) < 19660u ? 0.0f : float(1 / (1 - 0.3));
  }
  CHECK(many == rule);
  CHECK(drawn.next_u64() == replayed.next_u64());
  // An inference forward with the same workspace drops nothing.
  net.forward_unchecked(detail::as_sequence(x), {}, ws);
  CHECK(ws.layers[0].input_mask().empty());
  CHECK(ws.layers[1].recurrent_mask().empty());
  CHECK(ws.between_mask(0).empty());
}

TEST_CASE("dropout: Model draws from its seeded generator in training only, evaluate and predict never drop") {
  using M = Model<Stacked<GRUCell<3, 8, double, reset_after>, 2>, Dense<8, 3, double>>;
  rng g(3);
  xt::xtensor<double, 3> x({steps, batch, 3});
  fill_uniform(x, g, 1.0);
  const std::vector<int> labels{0, 2, 1, 2};
  const auto with_dropout = [](M& m) {
    set_cell_dropout(m.rnn, 0.3, 0.3);
    m.rnn.dropout = 0.3;
  };
  M plain(7), dropped(7);
  with_dropout(dropped);
  // Inference: the rates change nothing.
  CHECK(xt::xtensor<double, 2>(plain.predict(x)) == dropped.predict(x));
  CHECK(plain.evaluate(x, labels).loss == dropped.evaluate(x, labels).loss);
  // Training: masks change the gradients, differ from batch to batch, and one seed gives one run.
  const double loss_plain = plain.compute_gradients(x, labels).loss;
  const double first = dropped.compute_gradients(x, labels).loss, second = dropped.compute_gradients(x, labels).loss;
  CHECK(first != loss_plain);
  CHECK(first != second);
  M replay(7), replay_again(7), no_dropout(7);
  with_dropout(replay);
  with_dropout(replay_again);
  const std::vector<int> lengths{5, 2, 4, 1};
  for (int i = 0; i < 3; ++i) {
    replay.train_on_batch(x, labels, lengths);
    replay_again.train_on_batch(x, labels, lengths);
    no_dropout.train_on_batch(x, labels, lengths);
  }
  test::check_unchanged(replay_again, test::parameters_of(replay));
  CHECK(test::parameters_of(no_dropout) != test::parameters_of(replay));
}

TEST_CASE("dropout: SequenceModel draws in training too") {
  using M = SequenceModel<Embedding<10, 4, double>, Stacked<MGUCell<4, 6, double>, 2>, Dense<6, 10, double>>;
  M plain(4), dropped(4);
  set_cell_dropout(dropped.rnn, 0.2, 0.3);
  dropped.rnn.dropout = 0.2;
  xt::xtensor<int, 2> ids({steps, batch}), targets({steps, batch});
  rng g(8);
  for (auto& id : ids) id = int(g.below(10));
  for (auto& y : targets) y = int(g.below(10));
  CHECK(plain.evaluate(ids, targets).loss == dropped.evaluate(ids, targets).loss);
  CHECK(plain.compute_gradients(ids, targets).loss != dropped.compute_gradients(ids, targets).loss);
}

TEST_CASE("dropout: a rate below 0, at or above 1, or NaN is refused by name before anything changes") {
  using M = Model<Stacked<LSTMCell<3, 4, double>, 2>, Dense<4, 2, double>>;
  xt::xtensor<double, 3> x = xt::zeros<double>({steps, batch, std::size_t(3)});
  const std::vector<int> labels{0, 1, 1, 0};
  const auto refused = [&](auto set, const std::string& message) {
    M m(1);
    set(m);
    const auto before = test::parameters_of(m);
    CHECK_THROWS_WITH_AS(m.train_on_batch(x, labels), doctest::Contains(message.c_str()), std::invalid_argument);
    test::check_unchanged(m, before);
    CHECK_NOTHROW(m.predict(x));  // inference does not read the rates
  };
  refused([](M& m) { m.rnn.layer<1>().recurrent_dropout = 1; }, "recurrent_dropout must be in [0, 1), got 1 (layer 1)");
  refused([](M& m) { m.rnn.layer<0>().dropout = -0.1; }, "dropout must be in [0, 1), got -0.1 (layer 0)");
  refused([](M& m) { m.rnn.layer<0>().dropout = std::numeric_limits<double>::quiet_NaN(); }, "got nan (layer 0)");
  refused([](M& m) { m.rnn.dropout = 1.5; }, "Stacked::dropout must be in [0, 1), got 1.5");
  // A user's cell that does not apply recurrent dropout says so rather than ignoring it.
  Stacked<test::ElmanCell<3, 4>, 1> elman;
  elman.layer<0>().recurrent_dropout = 0.2;
  typename Stacked<test::ElmanCell<3, 4>, 1>::workspace ws;
  rng g(1);
  CHECK_THROWS_WITH_AS(elman.forward_unchecked(detail::as_sequence(x), {}, ws, {}, &g),
                       doctest::Contains("supports_recurrent_dropout"), std::invalid_argument);
}
