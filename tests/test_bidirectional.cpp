// Bidirectional<Cell> (issue 30): finite differences in double of every parameter, x and h0 through
// single layers of every cell and a Stacked<Bidirectional, 2>, with ragged lengths and without;
// an independent computation (each direction's cell run alone on each sequence, the reverse one on
// the sequence reversed within its length); Model and SequenceModel built on it train and predict.
#include "support/gradcheck.hpp"
#include "support/sequence_gradcheck.hpp"

#include <rnncell/rnncell.hpp>

#include <string_view>

#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <string>
#include <vector>

using namespace rnncell;
using rnncell::test::fill_uniform;

namespace {

constexpr std::size_t steps = 5, batch = 4;

template <class S>
void gradcheck_both(const char* what) {
  const double full = test::gradcheck_with_final_state<S>(steps, batch, {}),
               ragged = test::gradcheck_with_final_state<S>(steps, batch, {4, 1, 3, 5});
  MESSAGE(std::string(what) << ": largest relative error " << full << " (full length), " << ragged << " (ragged)");
}

}  // namespace

TEST_CASE("bidirectional: finite differences, every parameter, x and h0, full and ragged lengths") {
  gradcheck_both<Bidirectional<GRUCell<3, 4, double, reset_before>>>("GRU reset-before");
  gradcheck_both<Bidirectional<GRUCell<3, 4, double, reset_after>>>("GRU reset-after");
  gradcheck_both<Bidirectional<MGUCell<3, 4, double>>>("MGU");
  gradcheck_both<Bidirectional<LSTMCell<3, 4, double>>>("LSTM");
  gradcheck_both<Stacked<Bidirectional<GRUCell<3, 4, double, reset_after>>, 2>>("Stacked<Bidirectional<GRU>, 2>");
  gradcheck_both<Stacked<Bidirectional<LSTMCell<3, 4, double>>, 2>>("Stacked<Bidirectional<LSTM>, 2>");
}

namespace {

// Each direction's cell alone, one sequence at a time at its own length: the forward cell on x_b,
// the reverse cell on x_b reversed; the layer's outputs and final state must be theirs.
template <class Cell>
void check_against_cells_alone() {
  using T = typename Cell::value_type;
  constexpr std::size_t In = Cell::input_width, H = Cell::hidden_width;
  rng g(5);
  Bidirectional<Cell> layer;
  layer.for_each_parameter([&](auto, auto& p) { fill_uniform(p, g); });
  xt::xtensor<T, 3> x(std::array{steps, batch, In});
  fill_uniform(x, g, 1.0);
  const std::vector<int> lengths{4, 1, 5, 2};
  typename Bidirectional<Cell>::workspace ws;
  layer.forward(x, ws, lengths);
  CHECK(ws.dx().size() == steps * batch * In);  // sized by forward, as a cell's workspace is
  CHECK(ws.dh0().shape(1) == 2 * Cell::state_width);
  const xt::xtensor<T, 3> out = ws.outputs();
  const xt::xtensor<T, 2> last = ws.last_output();
  for (std::size_t b = 0; b < batch; ++b) {
    const std::size_t L = std::size_t(lengths[b]);
    xt::xtensor<T, 3> alone(std::array{L, std::size_t(1), In}), reversed(std::array{L, std::size_t(1), In});
    for (std::size_t t = 0; t < L; ++t) {
      xt::view(alone, t, 0) = xt::view(x, t, b);
      xt::view(reversed, t, 0) = xt::view(x, L - 1 - t, b);
    }
    typename Cell::workspace wf, wb;
    layer.fwd.forward(alone, wf);
    layer.bwd.forward(reversed, wb);
    const xt::xtensor<T, 3> hf = wf.outputs(), hb = wb.outputs();
    for (std::size_t t = 0; t < steps; ++t) {
      const std::size_t held = std::min(t, L - 1);
      CHECK(xt::amax(xt::abs(xt::view(out, t, b, xt::range(0, H)) - xt::view(hf, held, 0)))() < 1e-12);
      if (t < L)
        CHECK(xt::amax(xt::abs(xt::view(out, t, b, xt::range(H, 2 * H)) - xt::view(hb, L - 1 - t, 0)))() < 1e-12);
      else
        CHECK(xt::amax(xt::abs(xt::view(out, t, b, xt::range(H, 2 * H))))() == 0);
    }
    CHECK(xt::amax(xt::abs(xt::view(last, b, xt::range(0, H)) - xt::view(hf, L - 1, 0)))() < 1e-12);
    CHECK(xt::amax(xt::abs(xt::view(last, b, xt::range(H, 2 * H)) - xt::view(hb, L - 1, 0)))() < 1e-12);
  }
}

}  // namespace

TEST_CASE("bidirectional: outputs and final state are each direction's cell run alone on each sequence") {
  check_against_cells_alone<GRUCell<3, 4, double, reset_before>>();
  check_against_cells_alone<GRUCell<3, 4, double, reset_after>>();
  check_against_cells_alone<MGUCell<3, 4, double>>();
  check_against_cells_alone<LSTMCell<3, 4, double>>();
}

TEST_CASE("bidirectional: a Model and a SequenceModel on it train, predict with lengths, and name its parameters") {
  Model<Stacked<Bidirectional<GRUCell<3, 8>>, 2>, Dense<16, 2>> model(1);
  std::vector<std::string> names;
  model.for_each_parameter([&](std::string_view name, auto&) { names.emplace_back(name); });
  CHECK(names.front() == "rnn.layer0.fwd.Wx");
  CHECK(std::find(names.begin(), names.end(), "rnn.layer1.bwd.Wh") != names.end());
  // Class = whether the sequence's first value is positive: only the reverse direction's final state
  // (which ends on x_1) sees it last.
  rng g(9);
  xt::xtensor<float, 3> x(std::array{std::size_t(12), std::size_t(32), std::size_t(3)});
  fill_uniform(x, g, 1.0);
  std::vector<int> labels(32);
  for (std::size_t b = 0; b < 32; ++b) labels[b] = x(0, b, 0) > 0 ? 1 : 0;
  model.optimizer().lr = 0.01f;
  const double first = model.train_on_batch(x, labels).loss;
  double last = first;
  for (int step = 0; step < 150; ++step) last = model.train_on_batch(x, labels).loss;
  MESSAGE("bidirectional model: loss " << first << " -> " << last);
  CHECK(last < 0.5 * first);
  std::vector<int> lengths(32, 12);
  lengths[3] = 5;
  CHECK(model.predict(x, lengths).shape(0) == 32);

  SequenceModel<Identity<3, float>, Bidirectional<LSTMCell<3, 6>>, Dense<12, 2>> tagger(2);
  xt::xtensor<int, 2> targets(std::array{std::size_t(12), std::size_t(32)});
  for (std::size_t t = 0; t < 12; ++t)
    for (std::size_t b = 0; b < 32; ++b) targets(t, b) = x(11, b, 0) > 0 ? 1 : 0;  // needs the future
  tagger.optimizer().lr = 0.01f;
  const double tag_first = tagger.train_on_batch(x, targets).loss;
  double tag_last = tag_first;
  for (int step = 0; step < 150; ++step) tag_last = tagger.train_on_batch(x, targets).loss;
  MESSAGE("bidirectional tagger: loss " << tag_first << " -> " << tag_last);
  CHECK(tag_last < 0.5 * tag_first);
}

namespace {

// torch.nn.GRU / nn.LSTM(3, 4, num_layers=2, bidirectional=True) in float64 over
// pack_padded_sequence (tests/oracle/make_bidirectional_fixtures.py): the state dict through
// import_pytorch_stack, then outputs (valid steps), the final states and every gradient. PyTorch's
// gradients are mapped into our layout by importing them as if they were weights (the importers'
// maps are linear), except LSTM's b = bias_ih + bias_hh, whose gradient is either one's.
template <class Cell>
void check_pytorch_bidirectional(const char* name) {
  using S = Stacked<Bidirectional<Cell>, 2>;
  const tensor_map tensors = read_tensors(std::string(RNNCELL_ORACLE_DIR) + "/bidirectional/" + name + ".npz");
  S stack;
  import_pytorch_stack(stack, tensors, {"rnn"});
  tensor_map grads;
  for (const auto& [key, value] : tensors)
    if (key.starts_with("grad.rnn.")) grads.emplace(key.substr(5), value);
  S expected;
  import_pytorch_stack(expected, grads, {"rnn"});

  const xt::xtensor<double, 3> x = tensors.at("x"), w = tensors.at("w");
  const xt::xtensor<double, 2> v = tensors.at("v");
  std::vector<int> lengths;
  for (const double l : tensors.at("lengths")) lengths.push_back(int(l));
  typename S::workspace ws;
  stack.forward(x, ws, lengths);
  const xt::xtensor<double, 3> out = ws.outputs(), want_out = tensors.at("out");
  double worst = 0;
  for (std::size_t t = 0; t < x.shape(0); ++t)
    for (std::size_t b = 0; b < x.shape(1); ++b)
      if (t < std::size_t(lengths[b]))
        worst = std::max(worst, double(xt::amax(xt::abs(xt::view(out, t, b) - xt::view(want_out, t, b)))()));
  worst = std::max(worst, double(xt::amax(xt::abs(xt::xtensor<double, 2>(ws.last_output()) - tensors.at("last")))()));
  stack.zero_grad();
  stack.backward(x, ws, w);
  xt::xtensor<double, 3> dx = ws.dx();
  stack.backward_last(x, ws, v);
  dx += ws.dx();
  worst = std::max(worst, double(xt::amax(xt::abs(dx - tensors.at("grad.x")))()));
  std::vector<xt::xarray<double>> ours, theirs;
  stack.for_each_parameter_and_grad([&](std::string_view, auto&, auto& g) { ours.push_back(g); });
  expected.for_each_parameter([&](std::string_view p, auto& e) {
    theirs.push_back(e);
    if (std::is_same_v<Cell, LSTMCell<3, 4, double>> && p.ends_with(".b")) theirs.back() /= 2;
  });
  REQUIRE(ours.size() == theirs.size());
  for (std::size_t i = 0; i < ours.size(); ++i) worst = std::max(worst, double(xt::amax(xt::abs(ours[i] - theirs[i]))()));
  MESSAGE(std::string(name) << ": largest difference from PyTorch (outputs, final states, dx, every gradient) " << worst);
  CHECK(worst < 1e-12);
}

}  // namespace

TEST_CASE("bidirectional: torch.nn.GRU and nn.LSTM (bidirectional=True, num_layers=2) over pack_padded_sequence") {
  check_pytorch_bidirectional<GRUCell<3, 4, double, reset_after>>("gru");
  check_pytorch_bidirectional<LSTMCell<3, 4, double>>("lstm");
}

TEST_CASE("bidirectional: a bidirectional module's layer is refused by one cell, and a one-directional module by Bidirectional layers") {
  const tensor_map tensors = read_tensors(std::string(RNNCELL_ORACLE_DIR) + "/bidirectional/gru.npz");
  GRUCell<3, 4, double, reset_after> cell;
  CHECK_THROWS_WITH_AS(import_pytorch_gru(cell, tensors, "rnn", 0), doctest::Contains("'rnn.weight_ih_l0_reverse'"),
                       std::invalid_argument);
  Stacked<GRUCell<3, 4, double, reset_after>, 2> one_way;
  CHECK_THROWS_WITH_AS(import_pytorch_stack(one_way, tensors, {"rnn"}), doctest::Contains("bidirectional module"),
                       std::invalid_argument);
  tensor_map forward_only;
  for (const auto& [name, value] : tensors)
    if (name.starts_with("rnn.") && !name.ends_with("_reverse")) forward_only.emplace(name, value);
  Stacked<Bidirectional<GRUCell<3, 4, double, reset_after>>, 2> both_ways;
  CHECK_THROWS_WITH_AS(import_pytorch_stack(both_ways, forward_only, {"rnn"}), doctest::Contains("one-directional"),
                       std::invalid_argument);
}
