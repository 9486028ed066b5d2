// Finite-difference gradient checks (double) of every parameter, dx and dh0 for every cell, the
// stack, the head with its loss, and the whole model.
#include "support/elman_cell.hpp"
#include "support/gradcheck.hpp"

#include <rnncell/rnncell.hpp>

#include <doctest/doctest.h>

#include <vector>

using namespace rnncell;
using rnncell::test::check_entries;
using rnncell::test::fill_uniform;

namespace {

constexpr std::size_t steps = 4, batch = 3;

template <class S>
constexpr auto initial_state_shape() {
  if constexpr (requires { S::layer_count; })
    return std::array{S::layer_count, batch, S::hidden_width};
  else
    return std::array{batch, S::hidden_width};
}

enum class loss_on { all_steps, last_step };

// Loss = sum_t sum(w_t * h_t) (or only t = T), so dLoss/dh_t = w_t: every step's output and the
// recurrent path carry gradient. Random non-zero h0 so that h0-dependent terms are exercised.
template <class S>
double gradcheck_sequence(loss_on where) {
  constexpr std::size_t In = S::input_width, H = S::hidden_width;
  rng g(42);
  S s;
  s.for_each_parameter([&](auto, auto& p) { fill_uniform(p, g); });
  xt::xtensor<double, 3> x(std::array{steps, batch, In});
  xt::xtensor<double, initial_state_shape<S>().size()> h0(initial_state_shape<S>());
  xt::xtensor<double, 3> w(std::array{steps, batch, H});
  fill_uniform(x, g, 1.0), fill_uniform(h0, g, 0.8), fill_uniform(w, g, 1.0);
  xt::xtensor<double, 2> w_last = xt::view(w, steps - 1);
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
  xt::xtensor<double, 3> dx = ws.dx();
  auto dh0 = xt::zeros_like(h0);
  dh0 = ws.dh0();  // a cell's (B, H), a stack's (N, B, H): the shape of h0 in both

  double worst = 0;
  s.for_each_parameter_and_grad([&](std::string_view name, auto& p, auto& grad) {
    worst = std::max(worst, check_entries(std::string(name), p, grad, loss));
  });
  worst = std::max(worst, check_entries("dx", x, dx, loss));
  worst = std::max(worst, check_entries("dh0", h0, dh0, loss));
  return worst;
}

template <class S>
void check_both_losses(const char* what) {
  const double all = gradcheck_sequence<S>(loss_on::all_steps);
  const double last = gradcheck_sequence<S>(loss_on::last_step);
  MESSAGE(std::string(what) << ": largest relative error " << std::max(all, last));
}

}  // namespace

TEST_CASE("gradients: GRUCell reset_before, every parameter, dx and dh0") {
  check_both_losses<GRUCell<5, 7, double>>("GRUCell reset_before");
}

TEST_CASE("gradients: GRUCell reset_after, every parameter, dx and dh0") {
  check_both_losses<GRUCell<5, 7, double, reset_after>>("GRUCell reset_after");
}

TEST_CASE("gradients: MGUCell, every parameter, dx and dh0") {
  check_both_losses<MGUCell<5, 7, double>>("MGUCell");
}

TEST_CASE("gradients: a custom cell that supplies only its step math") {
  check_both_losses<rnncell::test::ElmanCell<5, 7>>("ElmanCell (custom)");
}

TEST_CASE("gradients: Stacked<GRUCell, 3> through the middle layer") {
  check_both_losses<Stacked<GRUCell<5, 7, double>, 3>>("Stacked<GRUCell, 3>");
}

TEST_CASE("gradients: Stacked<MGUCell, 3> and Stacked<GRUCell reset_after, 2>") {
  check_both_losses<Stacked<MGUCell<5, 7, double>, 3>>("Stacked<MGUCell, 3>");
  check_both_losses<Stacked<GRUCell<5, 7, double, reset_after>, 2>>("Stacked<GRUCell reset_after, 2>");
}

TEST_CASE("gradients: Dense head with softmax cross-entropy") {
  rng g(7);
  Dense<7, 4, double> head;
  head.for_each_parameter([&](auto, auto& p) { fill_uniform(p, g, 1.0); });
  xt::xtensor<double, 2> h(std::array<std::size_t, 2>{batch, 7}), logits, dlogits, dh;
  fill_uniform(h, g, 1.0);
  const std::vector<int> labels{2, 0, 3};
  auto loss = [&] {
    head.forward(h, logits);
    return softmax_cross_entropy(logits, labels, dlogits);
  };
  head.zero_grad();
  loss();
  head.backward(h, dlogits, dh);
  const xt::xtensor<double, 2> dh_analytic = dh;
  double worst = 0;
  head.for_each_parameter_and_grad([&](std::string_view name, auto& p, auto& grad) {
    worst = std::max(worst, check_entries(std::string(name), p, grad, loss));
  });
  worst = std::max(worst, check_entries("dh", h, dh_analytic, loss));
  MESSAGE("Dense + softmax cross-entropy: largest relative error " << worst);
}

TEST_CASE("gradients: the whole model (stack, last state, head, mean cross-entropy)") {
  Model<Stacked<GRUCell<5, 7, double>, 2>, Dense<7, 4, double>> model(3);
  rng g(11);
  xt::xtensor<double, 3> x(std::array{steps, batch, std::size_t(5)});
  fill_uniform(x, g, 1.0);
  const std::vector<int> labels{1, 3, 0};
  model.compute_gradients(x, labels);
  double worst = 0;
  model.for_each_parameter_and_grad([&](std::string_view name, auto& p, auto& grad) {
    worst = std::max(worst, check_entries(std::string(name), p, grad, [&] { return model.evaluate(x, labels).loss; }));
  });
  MESSAGE("Model: largest relative error " << worst);
}

TEST_CASE("gradients accumulate until zero_grad") {
  MGUCell<5, 7, double> cell;
  rng g(5);
  cell.for_each_parameter([&](auto, auto& p) { fill_uniform(p, g); });
  xt::xtensor<double, 3> x(std::array{steps, batch, std::size_t(5)});
  xt::xtensor<double, 3> dh(std::array{steps, batch, std::size_t(7)});
  fill_uniform(x, g), fill_uniform(dh, g);
  MGUCell<5, 7, double>::workspace ws;
  cell.zero_grad();
  cell.forward(x, ws);
  cell.backward(x, ws, dh);
  const xt::xtensor<double, 2> once = cell.grads.Wh;
  cell.backward(x, ws, dh);
  CHECK(xt::allclose(cell.grads.Wh, 2.0 * once));
  CHECK(xt::amax(xt::abs(once))() > 0);
  cell.zero_grad();
  CHECK(xt::amax(xt::abs(cell.grads.Wh))() == 0);
}
