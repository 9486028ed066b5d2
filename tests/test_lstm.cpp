// LSTMCell: finite-difference gradients (double) of every parameter, dx and the initial state
// [h0 | c0] for a cell and Stacked<LSTMCell, 3>, with backward() and backward_last(); the
// equations pinned with numbers; initialisation (unit_forget_bias); stepping equals the sequence
// forward; the importers' shape checks; a Model that trains and round-trips through a checkpoint.
#include "support/checkpoint_files.hpp"
#include "support/gradcheck.hpp"
#include "support/sequence_gradcheck.hpp"

#include <rnncell/rnncell.hpp>

#include <doctest/doctest.h>
#include <xtensor/xmanipulation.hpp>

#include <cmath>
#include <string>
#include <vector>

using namespace rnncell;
using rnncell::test::check_entries;
using rnncell::test::fill_uniform;
using rnncell::test::gradcheck_sequence;
using rnncell::test::loss_on;

namespace {

constexpr std::size_t steps = 4, batch = 3, In = 5, H = 7;

// Every parameter, dx and d[h0 | c0] by finite differences (support/sequence_gradcheck.hpp): the c
// part of the state gets its gradient only through the recurrence, which is what dc0 checks.
template <class S>
void gradcheck(loss_on where) {
  const auto [worst, dstate0] = gradcheck_sequence<S>(where, steps, batch);
  // dc0 must carry real gradient, or its check above proves nothing.
  double largest_dc0 = 0;
  for (std::size_t i = 0; i < dstate0.size(); ++i)
    if (i % (2 * H) >= H) largest_dc0 = std::max(largest_dc0, std::abs(dstate0.data()[i]));
  CHECK(largest_dc0 > 1e-3);
  const std::string pass = where == loss_on::all_steps ? "backward" : "backward_last";
  MESSAGE(pass << ": largest relative error " << worst << ", largest |dc0| " << largest_dc0);
}

template <class Model>
double held_out_loss(Model& model, const xt::xtensor<float, 3>& x, const std::vector<int>& labels) {
  return model.evaluate(x, labels).loss;
}

}  // namespace

TEST_CASE("lstm gradients: LSTMCell, every parameter, dx, dh0 and dc0") {
  gradcheck<LSTMCell<In, H, double>>(loss_on::all_steps);
  gradcheck<LSTMCell<In, H, double>>(loss_on::last_step);
}

TEST_CASE("lstm gradients: Stacked<LSTMCell, 3>, through the middle layer, every layer's dh0 and dc0") {
  gradcheck<Stacked<LSTMCell<In, H, double>, 3>>(loss_on::all_steps);
  gradcheck<Stacked<LSTMCell<In, H, double>, 3>>(loss_on::last_step);
}

TEST_CASE("lstm equations pinned with numbers: c' = f * c + i * g, h' = o * tanh(c')") {
  // No weights, only biases: a_i = 0.3, a_f = -0.2, a_g = 0.5, a_o = 1.1, from c = 0.7 (h = 0.4).
  LSTMCell<1, 1, double> cell;
  cell.params.b = xt::xtensor<double, 1>{0.3, -0.2, 0.5, 1.1};
  const auto s = [](double a) { return 1 / (1 + std::exp(-a)); };
  const double c_next = s(-0.2) * 0.7 + s(0.3) * std::tanh(0.5);
  const double h_next = s(1.1) * std::tanh(c_next);
  xt::xtensor<double, 2> x = xt::zeros<double>({1, 1});
  xt::xtensor<double, 2> state{{0.4, 0.7}};
  LSTMCell<1, 1, double>::workspace ws;
  cell.step(x, state, ws);
  CHECK(state(0, 0) == doctest::Approx(h_next).epsilon(1e-15));
  CHECK(state(0, 1) == doctest::Approx(c_next).epsilon(1e-15));
}

TEST_CASE("lstm initialisation: Glorot per gate, forget-gate bias 1 unless unit_forget_bias is false") {
  LSTMCell<In, H> with, without;
  without.unit_forget_bias = false;
  rng g1(5), g2(5);
  with.initialize(g1);
  without.initialize(g2);
  for (std::size_t j = 0; j < 4 * H; ++j) {
    CAPTURE(j);
    CHECK(with.params.b(j) == (j >= H && j < 2 * H ? 1.0f : 0.0f));
    CHECK(without.params.b(j) == 0.0f);
  }
  CHECK(with.params.Wx == without.params.Wx);  // the option touches the bias only
  const double limit = std::sqrt(6.0 / double(In + 2 * H));
  CHECK(xt::amax(xt::abs(with.params.Wh))() <= limit);
  CHECK(xt::amax(xt::abs(with.params.Wh))() > 0.5 * limit);

  // Model initialises every layer the same way (Keras' default).
  Model<Stacked<LSTMCell<In, H>, 2>, Dense<H, 3>> model(1);
  CHECK(model.rnn.layer<1>().params.b(H) == 1.0f);
}

TEST_CASE("lstm step: a cell and a Stacked stepped T times equal their sequence forward") {
  rng g(3);
  Stacked<LSTMCell<In, H, double>, 2> stack;
  stack.for_each_parameter([&](auto, auto& p) { fill_uniform(p, g); });
  xt::xtensor<double, 3> x(std::array{steps, batch, In});
  xt::xtensor<double, 3> state(std::array{std::size_t(2), batch, 2 * H});
  fill_uniform(x, g, 1.0), fill_uniform(state, g, 0.8);
  decltype(stack)::workspace ws, step_ws;
  stack.forward(x, ws, state);
  auto& bottom = stack.layer<0>();
  decltype(stack)::first_layer_type::workspace bottom_ws, bottom_step_ws;
  bottom.forward(x, bottom_ws, xt::xtensor<double, 2>(xt::view(state, 0)));
  xt::xtensor<double, 2> bottom_state = xt::view(state, 0);

  for (std::size_t t = 0; t < steps; ++t) {
    const xt::xtensor<double, 2> x_t = xt::view(x, t);
    stack.step(x_t, state, step_ws);
    bottom.step(x_t, bottom_state, bottom_step_ws);
    const xt::xtensor<double, 2> top_h = xt::view(state, 1, xt::all(), xt::range(0, H));
    const xt::xtensor<double, 2> bottom_h = xt::view(bottom_state, xt::all(), xt::range(0, H));
    CHECK(xt::allclose(top_h, xt::view(ws.outputs(), t), 0, 1e-13));
    CHECK(xt::allclose(bottom_h, xt::view(bottom_ws.outputs(), t), 0, 1e-13));
  }
}

TEST_CASE("lstm importers refuse a wrong shape with a message naming the tensor") {
  LSTMCell<In, H, double> cell;
  const xt::xtensor<double, 2> ih = xt::zeros<double>({4 * H, In}), hh = xt::zeros<double>({4 * H, H});
  const xt::xtensor<double, 1> bias = xt::zeros<double>({4 * H}), short_bias = xt::zeros<double>({3 * H});
  CHECK_NOTHROW(import_pytorch_lstm(cell, ih, hh, bias, bias));
  CHECK_THROWS_WITH_AS(import_pytorch_lstm(cell, hh, hh, bias, bias),
                       "rnncell: weight_ih has shape (28, 7), expected (28, 5) (4H, In)", std::invalid_argument);
  CHECK_THROWS_WITH_AS(import_pytorch_lstm(cell, ih, ih, bias, bias),
                       "rnncell: weight_hh has shape (28, 5), expected (28, 7) (4H, H)", std::invalid_argument);
  CHECK_THROWS_WITH_AS(import_pytorch_lstm(cell, ih, hh, short_bias, bias), doctest::Contains("bias_ih"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(import_pytorch_lstm(cell, ih, hh, bias, short_bias), doctest::Contains("bias_hh"),
                       std::invalid_argument);
  const xt::xtensor<double, 2> kernel = xt::zeros<double>({In, 4 * H}), recurrent = xt::zeros<double>({H, 4 * H});
  CHECK_NOTHROW(import_keras_lstm(cell, kernel, recurrent, bias));
  CHECK_THROWS_WITH_AS(import_keras_lstm(cell, ih, recurrent, bias),
                       "rnncell: kernel has shape (28, 5), expected (5, 28) (In, 4H)", std::invalid_argument);
  CHECK_THROWS_WITH_AS(import_keras_lstm(cell, kernel, kernel, bias), doctest::Contains("recurrent_kernel"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(import_keras_lstm(cell, kernel, recurrent, short_bias),
                       "rnncell: bias has shape (21), expected (28) (4H)", std::invalid_argument);
}

TEST_CASE("lstm importers agree: a Keras layer holding a PyTorch layer's weights loads the same cell") {
  // Keras' kernel is PyTorch's weight_ih transposed, same gate order; its one bias is the sum.
  rng g(8);
  xt::xtensor<double, 2> ih(std::array{4 * H, In}), hh(std::array{4 * H, H});
  xt::xtensor<double, 1> b_ih(std::array{4 * H}), b_hh(std::array{4 * H});
  fill_uniform(ih, g), fill_uniform(hh, g), fill_uniform(b_ih, g), fill_uniform(b_hh, g);
  LSTMCell<In, H, double> from_torch, from_keras;
  import_pytorch_lstm(from_torch, ih, hh, b_ih, b_hh);
  import_keras_lstm(from_keras, xt::xtensor<double, 2>(xt::transpose(ih)), xt::xtensor<double, 2>(xt::transpose(hh)),
                    xt::xtensor<double, 1>(b_ih + b_hh));
  CHECK(from_torch.params.Wx == from_keras.params.Wx);
  CHECK(from_torch.params.Wh == from_keras.params.Wh);
  CHECK(from_torch.params.b == from_keras.params.b);
  CHECK(from_torch.params.Wx(2, 3 * H + 1) == ih(3 * H + 1, 2));  // o block, input 2
}

TEST_CASE("lstm model: Model<Stacked<LSTMCell, 2>, Dense> trains (loss falls) and round-trips a checkpoint") {
  // The evidence task of test_learning.cpp: the label's channel is raised by 0.5 at every step.
  constexpr std::size_t T = 10, channels = 4, B = 32;
  using model_type = Model<Stacked<LSTMCell<channels, 16>, 2>, Dense<16, channels>>;
  rng data(23);
  const auto make_batch = [&](xt::xtensor<float, 3>& x, std::vector<int>& labels) {
    x = xt::zeros<float>({T, B, channels});
    labels.assign(B, 0);
    for (std::size_t i = 0; i < B; ++i) {
      labels[i] = int(data.below(channels));
      for (std::size_t t = 0; t < T; ++t)
        for (std::size_t c = 0; c < channels; ++c)
          x(t, i, c) = float(data.uniform(0, 1) + (int(c) == labels[i] ? 0.5 : 0.0));
    }
  };
  xt::xtensor<float, 3> held_x, x;
  std::vector<int> held_labels, labels;
  make_batch(held_x, held_labels);

  model_type model(17);
  model.optimizer().lr = 1e-2;
  const double before = held_out_loss(model, held_x, held_labels);
  for (int i = 0; i < 150; ++i) {
    make_batch(x, labels);
    model.train_on_batch(x, labels);
  }
  const double after = held_out_loss(model, held_x, held_labels);
  MESSAGE("LSTM model held-out loss " << before << " -> " << after << ", accuracy "
                                      << model.evaluate(held_x, held_labels).accuracy);
  CHECK(after < 0.5 * before);

  checkpoint_test::temp_dir dir;
  model_type loaded(99);
  const xt::xtensor<float, 2> expected = model.predict(held_x);
  REQUIRE(loaded.predict(held_x) != expected);  // differently seeded: the load has something to do
  save_npz(dir.path / "lstm.npz", model);
  load_npz(dir.path / "lstm.npz", loaded);
  CHECK(loaded.predict(held_x) == expected);
  CHECK(get_parameter(loaded, "rnn.layer1.b") == get_parameter(model, "rnn.layer1.b"));
}

namespace {

// One forward, then backward_unchecked with consume_forward (a Model's training step: the LSTM
// writes d_input over its gates) against the checked backward (its own d_input buffer), on two
// copies of S: every gradient, dx and d(initial state) equal bit for bit, with ragged lengths (the
// ended rows' d_input zeroed in the gates' place). Then the kept forward serves a second backward.
template <class S>
void consumed_equals_kept(const std::string& what) {
  using T = typename S::value_type;
  constexpr std::size_t T_ = 6, B = 4;
  S consumed, kept;
  rng g_consumed(12), g_kept(12), g(13);  // the same parameters in both
  consumed.for_each_parameter([&](auto, auto& p) { fill_uniform(p, g_consumed); });
  kept.for_each_parameter([&](auto, auto& p) { fill_uniform(p, g_kept); });
  xt::xtensor<T, 3> x(std::array{T_, B, S::input_width}), dh(std::array{T_, B, S::hidden_width});
  fill_uniform(x, g, 1.0), fill_uniform(dh, g, 1.0);
  const std::vector<int> lengths{6, 2, 5, 1};
  typename S::workspace ws_consumed, ws_kept;
  const auto consume = [&] {
    consumed.forward(x, ws_consumed, lengths);
    consumed.backward_unchecked(detail::as_sequence(x), ws_consumed, detail::as_sequence(dh), {}, true, true);
  };
  // Every gradient of `kept` equals the same one of `consumed`; returns how many are not all zero.
  const auto check_gradients_equal = [&] {
    std::vector<xt::xarray<T>> grads;
    consumed.for_each_parameter_and_grad([&](auto, auto&, auto& grad) { grads.emplace_back(grad); });
    std::size_t i = 0, nonzero = 0;
    kept.for_each_parameter_and_grad([&](std::string_view name, auto&, auto& grad) {
      CAPTURE(what);
      CAPTURE(name);
      CHECK(xt::xarray<T>(grad) == grads[i]);
      nonzero += xt::amax(xt::abs(grads[i++]))() > 0;
    });
    CHECK(i == grads.size());
    return nonzero;
  };
  consumed.zero_grad(), kept.zero_grad();
  consume();
  kept.forward(x, ws_kept, lengths);
  kept.backward(x, ws_kept, dh);
  CHECK(ws_consumed.dx() == ws_kept.dx());
  CHECK(ws_consumed.dh0() == ws_kept.dh0());
  const std::size_t gradients = check_gradients_equal();
  CHECK(gradients == 6);  // 3 per LSTM: Wx, Wh, b
  // The kept forward serves a second backward: the same sums as a second forward and consuming
  // backward add (the bias gradients add row by row, so twice the first is not exact).
  kept.backward(x, ws_kept, dh);
  consume();
  check_gradients_equal();
  MESSAGE(what << ": " << gradients << " gradients equal");
}

}  // namespace

TEST_CASE("lstm: a backward that writes its gradients over the gates equals one that keeps the forward") {
  consumed_equals_kept<Stacked<LSTMCell<In, H, float>, 2>>("Stacked<LSTMCell<5, 7, float>, 2>");
  consumed_equals_kept<Stacked<LSTMCell<In, 16, float>, 2>>("Stacked<LSTMCell<5, 16, float>, 2>");
  consumed_equals_kept<Stacked<LSTMCell<In, H, double>, 2>>("Stacked<LSTMCell<5, 7, double>, 2>");
  consumed_equals_kept<Bidirectional<LSTMCell<In, H, float>>>("Bidirectional<LSTMCell<5, 7, float>>");
}
