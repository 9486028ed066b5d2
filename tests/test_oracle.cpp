// rnncell against an independent implementation: PyTorch. tests/oracle/make_fixtures.py wrote
// float64 .npy fixtures (outputs, loss and every gradient) once; these tests load them, run the
// same computation through rnncell's public API and compare every number. The fixture folder
// comes from the compile definition RNNCELL_ORACLE_DIR.
#include "support/oracle.hpp"

#include <doctest/doctest.h>
#include <xtensor/xnpy.hpp>
#include <xtensor/xview.hpp>

#include <rnncell/adam.hpp>
#include <rnncell/dense.hpp>
#include <rnncell/gru.hpp>
#include <rnncell/import.hpp>
#include <rnncell/loss.hpp>
#include <rnncell/mgu.hpp>
#include <rnncell/stacked.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace rnncell::test;

constexpr std::size_t In = 5, H = 7, Layers = 3, Classes = 4;

// A cell or a stack on the seed equations: parameters by name from the fixture, forward from
// the fixture's h0, backward with dLoss/dh_t = w_t; every output and gradient compared.
template <class Net, class T, std::size_t StateRank>
void check_against_autograd(std::string_view case_name, std::size_t expected_parameters, double tolerance) {
  Net net;
  REQUIRE(load_parameters(net, case_name) == expected_parameters);
  net.zero_grad();
  const auto x = load<T, 3>(case_name, "x");
  const auto h0 = load<T, StateRank>(case_name, "h0");
  const auto w = load<T, 3>(case_name, "w");

  typename Net::workspace ws;
  net.forward(x, ws, h0);
  net.backward(x, ws, w);

  comparison compare(std::string(case_name) + (sizeof(T) == sizeof(double) ? " <double>" : " <float>"), tolerance);
  compare("hs", ws.outputs(), load_raw(case_name, "hs"));
  compare("loss", weighted_loss(ws.outputs(), w), load_raw(case_name, "loss"));
  compare("dx", ws.dx(), load_raw(case_name, "dx"));
  compare("dh0", ws.dh0(), load_raw(case_name, "dh0"));  // (B, H) for a cell, (N, B, H) for a stack
  compare_gradients(net, case_name, compare);
}

// The one-parameter object Adam walks, holding p and its gradient g.
struct single_parameter {
  xt::xtensor<double, 1> p, g;
  template <class F>
  void for_each_parameter_and_grad(F&& f) {
    f("p", p, g);
  }
};

}  // namespace

TEST_CASE("oracle: GRU reset-before matches PyTorch autograd on the seed equations") {
  check_against_autograd<rnncell::GRUCell<In, H, double>, double, 2>("gru_reset_before", 3, 1e-6);
  check_against_autograd<rnncell::GRUCell<In, H, float>, float, 2>("gru_reset_before", 3, 1e-4);
}

TEST_CASE("oracle: MGU matches PyTorch autograd") {
  check_against_autograd<rnncell::MGUCell<In, H, double>, double, 2>("mgu", 3, 1e-6);
  check_against_autograd<rnncell::MGUCell<In, H, float>, float, 2>("mgu", 3, 1e-4);
}

TEST_CASE("oracle: Stacked<GRUCell, 3> matches PyTorch autograd through every layer") {
  check_against_autograd<rnncell::Stacked<rnncell::GRUCell<In, H, double>, Layers>, double, 3>(
      "stacked3_gru", 3 * Layers, 1e-6);
}

TEST_CASE("oracle: torch.nn.GRU imported into GRUCell<reset_after> gives its outputs and gradients") {
  constexpr std::string_view name = "torch_gru";
  rnncell::GRUCell<In, H, double, rnncell::reset_after> cell;
  rnncell::import_pytorch_gru(cell, load<double, 2>(name, "weight_ih_l0"), load<double, 2>(name, "weight_hh_l0"),
                              load<double, 1>(name, "bias_ih_l0"), load<double, 1>(name, "bias_hh_l0"));
  cell.zero_grad();
  const auto x = load<double, 3>(name, "x");
  const auto w = load<double, 3>(name, "w");
  decltype(cell)::workspace ws;
  cell.forward(x, ws, load<double, 2>(name, "h0"));
  cell.backward(x, ws, w);

  comparison compare("torch_gru <double>", 1e-6);
  compare("hs", ws.outputs(), load_raw(name, "hs"));
  compare("loss", weighted_loss(ws.outputs(), w), load_raw(name, "loss"));
  compare("dx", ws.dx(), load_raw(name, "dx"));
  compare("dh0", ws.dh0(), load_raw(name, "dh0"));
  compare("dweight_ih_l0", ours_to_pytorch<H>(cell.grads.Wx), load_raw(name, "dweight_ih_l0"));
  compare("dweight_hh_l0", ours_to_pytorch<H>(cell.grads.Wh), load_raw(name, "dweight_hh_l0"));
  compare("dbias_ih_l0", ours_to_pytorch<H>(cell.grads.b), load_raw(name, "dbias_ih_l0"));
  compare("dbias_hh_l0", ours_to_pytorch<H>(cell.grads.bh), load_raw(name, "dbias_hh_l0"));
}

TEST_CASE("oracle: Adam's first three steps match torch.optim.Adam and the Keras formula") {
  constexpr std::string_view name = "adam";
  const auto p0 = load<double, 1>(name, "p0");
  const auto grads = load<double, 2>(name, "grads");
  const auto p_keras = load_raw(name, "p_keras");
  const auto p_pytorch = load_raw(name, "p_pytorch");
  // The two styles differ only in where epsilon enters; the fixture's gradients are chosen so
  // that the difference is far above the tolerance below, so each style is really pinned.
  constexpr double tolerance = 1e-12;
  REQUIRE(max_error(p_keras, p_pytorch) > 1000 * tolerance);
  CHECK(rnncell::Adam<double>{}.style == rnncell::adam_style::keras);

  for (const auto style : {rnncell::adam_style::keras, rnncell::adam_style::pytorch}) {
    const bool keras = style == rnncell::adam_style::keras;
    rnncell::Adam<double> adam;
    adam.lr = load_raw(name, "lr")(0);
    adam.beta1 = load_raw(name, "beta1")(0);
    adam.beta2 = load_raw(name, "beta2")(0);
    adam.epsilon = load_raw(name, "epsilon")(0);
    adam.style = style;
    single_parameter param{p0, xt::zeros<double>({p0.size()})};
    comparison compare(keras ? "adam keras" : "adam pytorch", tolerance);
    for (std::size_t step = 0; step < grads.shape(0); ++step) {
      param.g = xt::row(grads, step);
      adam.step(param);
      const xt::xarray<double> expected = xt::row(keras ? p_keras : p_pytorch, step);
      compare("p after step " + std::to_string(step + 1), param.p, expected);
    }
  }
}

TEST_CASE("oracle: Dense + mean softmax cross-entropy match PyTorch") {
  constexpr std::string_view name = "dense_ce";
  rnncell::Dense<H, Classes, double> dense;
  REQUIRE(load_parameters(dense, name) == 2);
  dense.zero_grad();
  const auto h = load<double, 2>(name, "h");
  const auto labels64 = load_raw<std::int64_t>(name, "labels");
  const std::vector<int> labels(labels64.begin(), labels64.end());
  const std::size_t batch = h.shape(0);

  xt::xtensor<double, 2> logits = xt::zeros<double>({batch, Classes});
  xt::xtensor<double, 2> dlogits = xt::zeros<double>({batch, Classes});
  xt::xtensor<double, 2> dh = xt::zeros<double>({batch, H});
  dense.forward(h, logits);
  const double loss = rnncell::softmax_cross_entropy(logits, std::span<const int>(labels), dlogits);
  dense.backward(h, dlogits, dh);

  comparison compare("dense_ce <double>", 1e-6);
  compare("logits", logits, load_raw(name, "logits"));
  compare("loss", loss, load_raw(name, "loss"));
  compare("dlogits", dlogits, load_raw(name, "dlogits"));
  compare("dh", dh, load_raw(name, "dh"));
  compare_gradients(dense, name, compare);
}
