// LSTMCell and Stacked<LSTMCell, 3> against torch.nn.LSTM itself, through import_pytorch_lstm:
// the outputs, h_T and c_T, the loss and every gradient (dx, dh0, dc0, each weight and both
// biases), for a loss on every step (backward) and on the last step only (backward_last).
// tests/oracle/make_lstm_fixtures.py wrote the fixtures.
#include "support/oracle.hpp"

#include <doctest/doctest.h>

#include <rnncell/import.hpp>
#include <rnncell/lstm.hpp>
#include <rnncell/stacked.hpp>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

using namespace rnncell::test;

namespace {

constexpr std::size_t In = 5, H = 7;

template <class Net>
constexpr std::size_t layers_of() {
  if constexpr (requires { Net::layer_count; })
    return Net::layer_count;
  else
    return 1;
}

template <std::size_t I, class Net>
auto& layer(Net& net) {
  if constexpr (requires { Net::layer_count; })
    return net.template layer<I>();
  else
    return net;
}

// Every layer's state as one (layers, B, 2H) tensor, [h | c] per row, from PyTorch's h and c
// (layers, B, H); and back: part 0 is h, part 1 is c.
template <class T>
xt::xtensor<T, 3> joined(const xt::xtensor<T, 3>& h, const xt::xtensor<T, 3>& c) {
  xt::xtensor<T, 3> state(std::array{h.shape(0), h.shape(1), 2 * H});
  for (std::size_t l = 0; l < h.shape(0); ++l)
    for (std::size_t i = 0; i < h.shape(1); ++i)
      for (std::size_t j = 0; j < H; ++j) state(l, i, j) = h(l, i, j), state(l, i, H + j) = c(l, i, j);
  return state;
}
template <class E>
xt::xtensor<double, 3> part(const E& state, std::size_t which) {
  const std::size_t layers = state.size() / (state.shape(state.dimension() - 2) * 2 * H);
  const std::size_t batch = state.shape(state.dimension() - 2);
  xt::xtensor<double, 3> out(std::array{layers, batch, H});
  for (std::size_t k = 0; k < out.size(); ++k) out.data()[k] = double(state.data()[k / H * 2 * H + which * H + k % H]);
  return out;
}

// A cell's state is (B, 2H), a stack's (layers, B, 2H).
template <class Net, class T>
auto as_net_state(const xt::xtensor<T, 3>& state) {
  if constexpr (layers_of<Net>() == 1)
    return xt::xtensor<T, 2>(xt::view(state, 0));
  else
    return state;
}

// Ours in PyTorch's layout: weight_ih = Wx^T, weight_hh = Wh^T (same gate order, import.hpp).
template <class T>
xt::xarray<double> transposed(const xt::xtensor<T, 2>& m) {
  xt::xarray<double> out = xt::zeros<double>({m.shape(1), m.shape(0)});
  for (std::size_t i = 0; i < m.shape(0); ++i)
    for (std::size_t j = 0; j < m.shape(1); ++j) out(j, i) = double(m(i, j));
  return out;
}

template <class Net, class T>
void import_every_layer(Net& net, std::string_view name) {
  [&]<std::size_t... L>(std::index_sequence<L...>) {
    (rnncell::import_pytorch_lstm(layer<L>(net), load<T, 2>(name, "weight_ih_l" + std::to_string(L)),
                                  load<T, 2>(name, "weight_hh_l" + std::to_string(L)),
                                  load<T, 1>(name, "bias_ih_l" + std::to_string(L)),
                                  load<T, 1>(name, "bias_hh_l" + std::to_string(L))),
     ...);
  }(std::make_index_sequence<layers_of<Net>()>{});
}

template <class Net>
void compare_weight_gradients(Net& net, std::string_view name, const std::string& suffix, comparison& compare) {
  [&]<std::size_t... L>(std::index_sequence<L...>) {
    const auto one = [&](auto& cell, std::size_t l) {
      const std::string k = "_l" + std::to_string(l);
      compare("dweight_ih" + k + suffix, transposed(cell.grads.Wx), load_raw(name, "dweight_ih" + k + suffix));
      compare("dweight_hh" + k + suffix, transposed(cell.grads.Wh), load_raw(name, "dweight_hh" + k + suffix));
      // b stands for bias_ih + bias_hh: both get its gradient.
      compare("dbias_ih" + k + suffix, cell.grads.b, load_raw(name, "dbias_ih" + k + suffix));
      compare("dbias_hh" + k + suffix, cell.grads.b, load_raw(name, "dbias_hh" + k + suffix));
    };
    (one(layer<L>(net), L), ...);
  }(std::make_index_sequence<layers_of<Net>()>{});
}

template <class Net, class T>
void check_against_torch(std::string_view name, double tolerance) {
  Net net;
  import_every_layer<Net, T>(net, name);
  const auto x = load<T, 3>(name, "x");
  const auto w = load<T, 3>(name, "w");
  const auto w_last = load<T, 2>(name, "w_last");
  const auto state0 = as_net_state<Net>(joined(load<T, 3>(name, "h0"), load<T, 3>(name, "c0")));
  typename Net::workspace ws;
  comparison compare(std::string(name) + (sizeof(T) == sizeof(double) ? " <double>" : " <float>"), tolerance);

  for (const std::string suffix : {"", "_last"}) {
    net.zero_grad();
    net.forward(x, ws, state0);
    if (suffix.empty())
      net.backward(x, ws, w);
    else
      net.backward_last(x, ws, w_last);
    if (suffix.empty()) {
      compare("hs", ws.outputs(), load_raw(name, "hs"));
      compare("loss", weighted_loss(ws.outputs(), w), load_raw(name, "loss"));
    } else {
      const xt::xtensor<T, 2> h_last = xt::view(ws.outputs(), x.shape(0) - 1);
      compare("loss_last", weighted_loss(h_last, w_last), load_raw(name, "loss_last"));
    }
    compare("dx" + suffix, ws.dx(), load_raw(name, "dx" + suffix));
    const auto dstate0 = ws.dh0();
    compare("dh0" + suffix, part(dstate0, 0), load_raw(name, "dh0" + suffix));
    compare("dc0" + suffix, part(dstate0, 1), load_raw(name, "dc0" + suffix));
    compare_weight_gradients(net, name, suffix, compare);
  }

  // h_T and c_T: the state after stepping the whole sequence one step at a time.
  auto state = state0;
  typename Net::workspace step_ws;
  for (std::size_t t = 0; t < x.shape(0); ++t) net.step(xt::xtensor<T, 2>(xt::view(x, t)), state, step_ws);
  compare("h_T", part(state, 0), load_raw(name, "h_T"));
  compare("c_T", part(state, 1), load_raw(name, "c_T"));
}

}  // namespace

TEST_CASE("lstm oracle: torch.nn.LSTM imported into LSTMCell gives its outputs, states and gradients") {
  check_against_torch<rnncell::LSTMCell<In, H, double>, double>("torch_lstm", 1e-12);
  check_against_torch<rnncell::LSTMCell<In, H, float>, float>("torch_lstm", 1e-5);
}

TEST_CASE("lstm oracle: torch.nn.LSTM(num_layers=3) imported into Stacked<LSTMCell, 3>") {
  check_against_torch<rnncell::Stacked<rnncell::LSTMCell<In, H, double>, 3>, double>("torch_lstm_stacked3", 1e-12);
  check_against_torch<rnncell::Stacked<rnncell::LSTMCell<In, H, float>, 3>, float>("torch_lstm_stacked3", 1e-5);
}
