// Finite-difference gradient checks (double) of every parameter, dx and dh0 for every cell, the
// stack, the head with its loss, and the whole model.
#include "support/elman_cell.hpp"
#include "support/gradcheck.hpp"
#include "support/sequence_gradcheck.hpp"

#include <rnncell/rnncell.hpp>

#include <doctest/doctest.h>

#include <vector>

using namespace rnncell;
using rnncell::test::check_entries;
using rnncell::test::fill_uniform;
using rnncell::test::gradcheck_sequence;
using rnncell::test::loss_on;

namespace {

constexpr std::size_t steps = 4, batch = 3;

template <class S>
void check_both_losses(const char* what) {
  const double all = gradcheck_sequence<S>(loss_on::all_steps, steps, batch).worst;
  const double last = gradcheck_sequence<S>(loss_on::last_step, steps, batch).worst;
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

TEST_CASE("gradients: more rows than one piece of the backward's weight gradients, every cell, a stack, lengths") {
  // T * B = 150 rows: after the step loop the readers of the gate gradients (dWh, dWx, db, dX)
  // take them in pieces of kernels::gradient_chunk_rows rows (base.hpp), the second piece starting
  // inside a step. Lengths: a padded batch whose pieces hold ended sequences' rows.
  constexpr std::size_t long_steps = 30, wide_batch = 5;
  static_assert(long_steps * wide_batch > kernels::gradient_chunk_rows && kernels::gradient_chunk_rows % wide_batch != 0);
  for (loss_on where : {loss_on::all_steps, loss_on::last_step}) {
    CAPTURE(where == loss_on::all_steps);
    gradcheck_sequence<GRUCell<5, 7, double>>(where, long_steps, wide_batch);
    gradcheck_sequence<GRUCell<5, 7, double, reset_after>>(where, long_steps, wide_batch);
    gradcheck_sequence<MGUCell<5, 7, double>>(where, long_steps, wide_batch);
    gradcheck_sequence<LSTMCell<5, 7, double>>(where, long_steps, wide_batch);
    gradcheck_sequence<Stacked<GRUCell<5, 7, double, reset_after>, 2>>(where, long_steps, wide_batch);
  }
  const std::vector<int> lengths{30, 27, 30, 9, 26};
  rnncell::test::gradcheck_with_final_state<Stacked<LSTMCell<3, 4, double>, 2>>(long_steps, wide_batch, lengths);
  rnncell::test::gradcheck_with_final_state<MGUCell<3, 4, double>>(long_steps, wide_batch, lengths);
}

TEST_CASE("gradients: Dense head with softmax cross-entropy") {
  // A batch's rows, and 150 rows: Dense's backward takes more rows than kernels::gradient_chunk_rows
  // in pieces (a head over every step's rows, as SequenceModel's).
  for (const std::size_t rows : {batch, std::size_t(150)}) {
    CAPTURE(rows);
    rng g(7);
    Dense<7, 4, double> head;
    head.for_each_parameter([&](auto, auto& p) { fill_uniform(p, g, 1.0); });
    xt::xtensor<double, 2> h(std::array<std::size_t, 2>{rows, 7}), logits, dlogits, dh;
    fill_uniform(h, g, 1.0);
    std::vector<int> labels(rows);
    for (auto& label : labels) label = int(g.below(4));
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
    MESSAGE("Dense + softmax cross-entropy, " << rows << " rows: largest relative error " << worst);
  }
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
