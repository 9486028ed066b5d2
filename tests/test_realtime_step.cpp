// A cell's own step (BaseRNNCell::step, Stacked::step) is real-time and never stale: it equals
// the sequence forward, step by step, for every cell kind (LSTM's state [h | c] included), 1 to 9
// rows and a 3-layer stack, on
// every kernel path this CPU has; a write to the weights between two steps is seen by the second;
// a cell with no real-time step (the Elman test cell) still steps through the sequence path.
// (That a step allocates nothing is test_no_allocation's.)
#include "support/elman_cell.hpp"
#include "support/streaming_checks.hpp"

#include <rnncell/rnncell.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <span>

using namespace rnncell;
using kernels::isa;
using test::on_every_path;
using test::random_net;
using test::random_sequence;
using test::row_error;

namespace {

constexpr std::size_t steps = 7;

// The state step() takes: (B, S) for a cell, (N, B, S) for a Stacked; S = H, or 2H for LSTM.
template <class Net, std::size_t B>
auto zero_state() {
  using T = typename Net::value_type;
  if constexpr (requires { Net::layer_count; })
    return xt::xtensor<T, 3>(std::array{Net::layer_count, B, Net::state_width}, T(0));
  else
    return xt::xtensor<T, 2>(std::array{B, Net::state_width}, T(0));
}

// Steps `net` (a cell or a Stacked) through x with the xtensor form of step() and compares every
// step's top h with forward's.
template <class Net, std::size_t B>
void check_step_equals_forward(double tolerance) {
  using T = typename Net::value_type;
  constexpr std::size_t In = Net::input_width, H = Net::hidden_width, S = Net::state_width;
  rng g(21 + B);
  const Net net = random_net<Net>(g);
  const auto x = random_sequence<T>(steps, B, In, g);
  typename Net::workspace ws;
  net.forward(x, ws);
  const xt::xtensor<T, 3> expected = ws.outputs();
  on_every_path([&](isa) {
    auto h = zero_state<Net, B>();
    typename Net::workspace step_ws;
    double worst = 0;
    for (std::size_t t = 0; t < steps; ++t) {
      const xt::xtensor<T, 2> x_t = xt::view(x, t);
      net.step(x_t, h, step_ws);
      const T* top = h.data() + h.size() - B * S;  // the top layer's rows, h first in each
      for (std::size_t b = 0; b < B; ++b)
        worst = std::max(worst, row_error(std::span<const T>(top + b * S, H), &expected(t, b, 0)));
    }
    CHECK_MESSAGE(worst <= tolerance, "B = " << B << ": largest relative error over " << steps << " steps: "
                                                << worst);
  });
}

// The std::array form, one row.
template <class Cell>
void check_array_step_equals_forward(double tolerance) {
  using T = typename Cell::value_type;
  constexpr std::size_t In = Cell::input_width, H = Cell::hidden_width, S = Cell::state_width;
  rng g(31);
  const Cell cell = random_net<Cell>(g);
  const auto x = random_sequence<T>(steps, 1, In, g);
  typename Cell::workspace ws;
  cell.forward(x, ws);
  const xt::xtensor<T, 3> expected = ws.outputs();
  on_every_path([&](isa) {
    std::array<T, S> h{};
    double worst = 0;
    for (std::size_t t = 0; t < steps; ++t) {
      std::array<T, In> x_t;
      std::copy_n(&x(t, 0, 0), In, x_t.begin());
      cell.step(x_t, h, ws);
      worst = std::max(worst, row_error(std::span<const T>(h.data(), H), &expected(t, 0, 0)));
    }
    CHECK_MESSAGE(worst <= tolerance, "largest relative error over " << steps << " steps: " << worst);
  });
}

template <class Net>
void check_all(double tolerance) {
  check_step_equals_forward<Net, 1>(tolerance);
  check_step_equals_forward<Net, 3>(tolerance);
  check_step_equals_forward<Net, 9>(tolerance);  // more rows than one kernel group (8 or 4)
  if constexpr (!requires { Net::layer_count; }) check_array_step_equals_forward<Net>(tolerance);
}

// One step, then a write to every weight (what an Adam step does), then a second step: the
// second must equal a one-step forward of the changed cell from the first step's state, and
// differ from what the old weights give.
template <class Cell>
void check_weight_write_is_seen() {
  using T = typename Cell::value_type;
  constexpr std::size_t In = Cell::input_width, H = Cell::hidden_width, S = Cell::state_width, B = 2;
  rng g(41);
  Cell cell = random_net<Cell>(g);
  const Cell old_cell = cell;
  const auto x = random_sequence<T>(2, B, In, g);
  const xt::xtensor<T, 2> x0 = xt::view(x, 0), x1 = xt::view(x, 1);
  on_every_path([&](isa) {
    cell = old_cell;
    typename Cell::workspace ws;
    xt::xtensor<T, 2> h(std::array{B, S}, T(0));
    cell.step(x0, h, ws);
    const xt::xtensor<T, 2> h1 = h;
    cell.for_each_parameter([&](std::string_view, auto& p) {
      for (auto& v : p) v = v * T(0.9) + T(0.05);
    });
    cell.step(x1, h, ws);
    typename Cell::workspace seq;
    const xt::xtensor<T, 3> x1_sequence = xt::view(x, xt::range(1, 2));
    cell.forward(x1_sequence, seq, h1);
    const xt::xtensor<T, 2> expected = seq.last_output();
    old_cell.forward(x1_sequence, seq, h1);
    const xt::xtensor<T, 2> with_old_weights = seq.last_output();
    for (std::size_t b = 0; b < B; ++b) {
      CHECK(row_error(std::span<const T>(&h(b, 0), H), &expected(b, 0)) <= 1e-5);
      CHECK(row_error(std::span<const T>(&h(b, 0), H), &with_old_weights(b, 0)) > 1e-3);
    }
  });
}

}  // namespace

TEST_CASE("a cell's step equals forward: GRU reset_after (float 1e-5, double 1e-12)") {
  check_all<GRUCell<28, 50, float, reset_after>>(1e-5);  // 3H = 150: a masked column tail
  check_all<GRUCell<1, 8, float, reset_after>>(1e-5);
  check_all<GRUCell<5, 7, double, reset_after>>(1e-12);
}

TEST_CASE("a cell's step equals forward: GRU reset_before (float 1e-5, double 1e-12)") {
  check_all<GRUCell<28, 64>>(1e-5);  // whole passes only
  check_all<GRUCell<3, 33>>(1e-5);
  check_all<GRUCell<5, 7, double>>(1e-12);
}

TEST_CASE("a cell's step equals forward: MGU (float 1e-5, double 1e-12)") {
  check_all<MGUCell<28, 64>>(1e-5);
  check_all<MGUCell<1, 13>>(1e-5);
  check_all<MGUCell<5, 7, double>>(1e-12);
}

TEST_CASE("a cell's step equals forward: LSTM, state [h | c] (float 1e-5, double 1e-12)") {
  check_all<LSTMCell<28, 50>>(1e-5);  // H = 50: each gate block ends mid-vector
  check_all<LSTMCell<1, 16>>(1e-5);
  check_all<LSTMCell<5, 7, double>>(1e-12);
}

TEST_CASE("Stacked<..., 3>::step equals forward, the top layer's h at every step") {
  check_all<Stacked<GRUCell<28, 40>, 3>>(1e-5);
  check_all<Stacked<GRUCell<28, 40, float, reset_after>, 3>>(1e-5);
  check_all<Stacked<MGUCell<28, 40>, 3>>(1e-5);
  check_all<Stacked<LSTMCell<28, 40>, 3>>(1e-5);
  check_all<Stacked<GRUCell<4, 6, double, reset_after>, 3>>(1e-12);
}

TEST_CASE("a write to the weights between two steps is seen by the next step") {
  check_weight_write_is_seen<GRUCell<6, 20, float, reset_after>>();
  check_weight_write_is_seen<GRUCell<6, 20>>();
  check_weight_write_is_seen<MGUCell<6, 20>>();
  check_weight_write_is_seen<LSTMCell<6, 20>>();
}

TEST_CASE("real-time cells never run the sequence path in step(); a cell without one does, and agrees") {
  rng g(51);
  const auto x = random_sequence<double>(1, 2, 3, g);
  const xt::xtensor<double, 2> x_t = xt::view(x, 0);
  auto step_and_forward = [&](const auto& cell) {
    using cell_type = std::decay_t<decltype(cell)>;
    typename cell_type::workspace step_ws, seq_ws;
    xt::xtensor<double, 2> h(std::array<std::size_t, 2>{2, cell_type::state_width}, 0.0);
    cell.step(x_t, h, step_ws);
    cell.forward(x, seq_ws);
    const xt::xtensor<double, 2> expected = seq_ws.last_output();
    for (std::size_t b = 0; b < 2; ++b)
      CHECK(row_error(std::span<const double>(&h(b, 0), 4), &expected(b, 0)) <= 1e-12);
    return step_ws.steps();  // 1 once the sequence path ran with it, 0 if never
  };
  CHECK(step_and_forward(random_net<GRUCell<3, 4, double>>(g)) == 0);
  CHECK(step_and_forward(random_net<GRUCell<3, 4, double, reset_after>>(g)) == 0);
  CHECK(step_and_forward(random_net<MGUCell<3, 4, double>>(g)) == 0);
  CHECK(step_and_forward(random_net<LSTMCell<3, 4, double>>(g)) == 0);
  CHECK(step_and_forward(random_net<test::ElmanCell<3, 4>>(g)) == 1);
}
