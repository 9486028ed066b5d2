// Variable-length batches against PyTorch (tests/oracle/make_lengths_fixtures.py): a 2-layer
// torch.nn.GRU over pack_padded_sequence, and the seed-lab cells with autograd and a held state.
// Loss: sum over valid steps of w_t * h_t (w is zero on padded steps) + sum(v * h_last).
#include "support/oracle.hpp"

#include <doctest/doctest.h>
#include <xtensor/xview.hpp>

#include <rnncell/gru.hpp>
#include <rnncell/import.hpp>
#include <rnncell/mgu.hpp>
#include <rnncell/stacked.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace {

using namespace rnncell::test;

constexpr std::size_t In = 5, H = 7;
constexpr double tolerance = 1e-12;  // float64 on both sides: only summation order differs

std::vector<std::size_t> lengths_of(std::string_view case_name) {
  std::vector<std::size_t> lengths;
  for (const std::int64_t n : load_raw<std::int64_t>(case_name, "lengths")) lengths.push_back(std::size_t(n));
  return lengths;
}

// dLoss/dh_t = w_t, plus v at t = T (h_T holds each sequence's state at its own length).
template <class Ws>
double run_backward_inputs(Ws& ws, const xt::xtensor<double, 3>& w, const xt::xtensor<double, 2>& v,
                           xt::xtensor<double, 3>& dh) {
  dh = w;
  xt::view(dh, dh.shape(0) - 1) += v;
  return weighted_loss(ws.outputs(), w) + weighted_loss(ws.last_output(), v);
}

template <class Cell>
void check_autograd_case(std::string_view case_name) {
  Cell cell;
  REQUIRE(load_parameters(cell, case_name) == 3);
  cell.zero_grad();
  const auto x = load<double, 3>(case_name, "x");
  const auto w = load<double, 3>(case_name, "w");
  const auto v = load<double, 2>(case_name, "v");
  typename Cell::workspace ws;
  cell.forward(x, ws, load<double, 2>(case_name, "h0"), lengths_of(case_name));
  xt::xtensor<double, 3> dh;
  const double loss = run_backward_inputs(ws, w, v, dh);
  cell.backward(x, ws, dh);

  comparison compare(std::string(case_name), tolerance);
  compare("hs", ws.outputs(), load_raw(case_name, "hs"));  // a held state repeats past its length
  compare("loss", loss, load_raw(case_name, "loss"));
  compare("dx", ws.dx(), load_raw(case_name, "dx"));
  compare("dh0", ws.dh0(), load_raw(case_name, "dh0"));
  compare_gradients(cell, case_name, compare);
}

}  // namespace

TEST_CASE("oracle, ragged lengths: GRU reset-before and MGU match autograd with a held state") {
  check_autograd_case<rnncell::GRUCell<In, H, double>>("lengths_gru_reset_before");
  check_autograd_case<rnncell::MGUCell<In, H, double>>("lengths_mgu");
}

TEST_CASE("oracle, ragged lengths: Stacked<GRU reset_after, 2> matches torch.nn.GRU on pack_padded_sequence") {
  constexpr std::string_view name = "lengths_torch_gru";
  rnncell::Stacked<rnncell::GRUCell<In, H, double, rnncell::reset_after>, 2> stack;
  const auto import_layer = [&](auto& cell, const std::string& l) {
    rnncell::import_pytorch_gru(cell, load<double, 2>(name, "weight_ih_l" + l), load<double, 2>(name, "weight_hh_l" + l),
                                load<double, 1>(name, "bias_ih_l" + l), load<double, 1>(name, "bias_hh_l" + l));
  };
  import_layer(stack.layer<0>(), "0");
  import_layer(stack.layer<1>(), "1");
  stack.zero_grad();
  const auto x = load<double, 3>(name, "x");
  const auto w = load<double, 3>(name, "w");
  const auto v = load<double, 2>(name, "v");
  const std::vector<std::size_t> lengths = lengths_of(name);
  decltype(stack)::workspace ws;
  stack.forward(x, ws, load<double, 3>(name, "h0"), lengths);
  xt::xtensor<double, 3> dh;
  const double loss = run_backward_inputs(ws, w, v, dh);
  stack.backward(x, ws, dh);

  // PyTorch's padded outputs are zeros where ours hold the state: compare the valid steps.
  xt::xtensor<double, 3> hs = ws.outputs();
  for (std::size_t t = 0; t < hs.shape(0); ++t)
    for (std::size_t b = 0; b < hs.shape(1); ++b)
      if (t >= lengths[b]) xt::view(hs, t, b) = 0.0;

  comparison compare(std::string(name), tolerance);
  compare("hs (valid steps)", hs, load_raw(name, "hs"));
  compare("h_last", ws.last_output(), load_raw(name, "h_last"));
  compare("loss", loss, load_raw(name, "loss"));
  compare("dx", ws.dx(), load_raw(name, "dx"));
  compare("dh0", ws.dh0(), load_raw(name, "dh0"));
  const auto& l0 = stack.layer<0>();
  const auto& l1 = stack.layer<1>();
  compare("dweight_ih_l0", ours_to_pytorch<H>(l0.grads.Wx), load_raw(name, "dweight_ih_l0"));
  compare("dweight_hh_l0", ours_to_pytorch<H>(l0.grads.Wh), load_raw(name, "dweight_hh_l0"));
  compare("dbias_ih_l0", ours_to_pytorch<H>(l0.grads.b), load_raw(name, "dbias_ih_l0"));
  compare("dbias_hh_l0", ours_to_pytorch<H>(l0.grads.bh), load_raw(name, "dbias_hh_l0"));
  compare("dweight_ih_l1", ours_to_pytorch<H>(l1.grads.Wx), load_raw(name, "dweight_ih_l1"));
  compare("dweight_hh_l1", ours_to_pytorch<H>(l1.grads.Wh), load_raw(name, "dweight_hh_l1"));
  compare("dbias_ih_l1", ours_to_pytorch<H>(l1.grads.b), load_raw(name, "dbias_ih_l1"));
  compare("dbias_hh_l1", ours_to_pytorch<H>(l1.grads.bh), load_raw(name, "dbias_hh_l1"));
}
