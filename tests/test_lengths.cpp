// Variable-length batches: finite-difference gradients with ragged lengths for every cell and a
// stack; a padded batch equals its sequences run alone at their own lengths (an independent
// computation: no masking involved); what lies in the padding changes nothing; bad lengths are
// refused with a message naming the entry.
#include "support/elman_cell.hpp"
#include "support/gradcheck.hpp"
#include "support/sequence_gradcheck.hpp"

#include <rnncell/rnncell.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <vector>

using namespace rnncell;
using rnncell::test::fill_uniform;

namespace {

// T = 5 with a longest length of 4: the last step is past every sequence (not computed at all),
// the others mix ended and running sequences, and one sequence has a single step.
constexpr std::size_t steps = 5, batch = 4;
const std::vector<int> ragged{4, 1, 3, 2};

// Loss = sum over valid steps of w_t * h_t, plus v * h_T (the state each sequence ends in); every
// parameter, x and h0 checked by central differences (sequence_gradcheck.hpp).
template <class S>
void gradcheck_ragged(const char* what) {
  const double worst = test::gradcheck_with_final_state<S>(steps, batch, ragged);
  MESSAGE(std::string(what) << ": largest relative error " << worst);
}

}  // namespace

TEST_CASE("ragged lengths: finite differences, every parameter, x and h0") {
  gradcheck_ragged<GRUCell<3, 4, double, reset_before>>("GRU reset_before");
  gradcheck_ragged<GRUCell<3, 4, double, reset_after>>("GRU reset_after");
  gradcheck_ragged<MGUCell<3, 4, double>>("MGU");
  gradcheck_ragged<test::ElmanCell<3, 4, double>>("Elman (a minimal cell)");
  gradcheck_ragged<Stacked<GRUCell<3, 4, double, reset_after>, 3>>("Stacked<GRU reset_after, 3>");
  gradcheck_ragged<Stacked<MGUCell<3, 4, double>, 2>>("Stacked<MGU, 2>");
  gradcheck_ragged<LSTMCell<3, 4, double>>("LSTM (state [h | c], both held)");
  gradcheck_ragged<Stacked<LSTMCell<3, 4, double>, 2>>("Stacked<LSTM, 2>");
}

TEST_CASE("ragged lengths: a padded batch equals each sequence run alone at its own length") {
  using Net = Model<Stacked<GRUCell<3, 5, double>, 2>, Dense<5, 4, double>>;
  Net padded(11);
  rng g(3);
  xt::xtensor<double, 3> x(std::array{steps, batch, std::size_t(3)});
  fill_uniform(x, g, 1.0);
  const std::array<int, batch> labels{0, 3, 1, 2};
  const std::array<std::int64_t, batch> lengths{4, 1, 3, 2};  // as torch passes them

  const xt::xtensor<double, 2> logits = padded.predict(x, lengths);
  const batch_metrics metrics = padded.compute_gradients(x, labels, lengths);

  double loss_sum = 0;
  std::vector<double> grad_sum;
  for (std::size_t b = 0; b < batch; ++b) {
    Net alone(11);
    const std::size_t n = std::size_t(lengths[b]);
    xt::xtensor<double, 3> xb = xt::view(x, xt::range(0, n), xt::range(b, b + 1), xt::all());
    const xt::xtensor<double, 2> lb = alone.predict(xb);
    for (std::size_t k = 0; k < 4; ++k) CHECK(lb(0, k) == doctest::Approx(logits(b, k)).epsilon(1e-12));
    loss_sum += alone.compute_gradients(xb, std::array{labels[b]}).loss;
    std::size_t i = 0;
    alone.for_each_parameter_and_grad([&](auto, auto&, auto& grad) {
      for (const double d : grad) {
        if (b == 0) grad_sum.push_back(0);
        grad_sum[i++] += d / double(batch);  // the padded batch's loss is the mean over sequences
      }
    });
  }
  CHECK(metrics.loss == doctest::Approx(loss_sum / double(batch)).epsilon(1e-12));
  std::size_t i = 0;
  padded.for_each_parameter_and_grad([&](auto name, auto&, auto& grad) {
    for (const double d : grad) {
      INFO(name);
      CHECK(d == doctest::Approx(grad_sum[i++]).epsilon(1e-10));
    }
  });
}

TEST_CASE("ragged lengths: the padding's content changes nothing, and steps past the longest are not run") {
  Model<GRUCell<3, 6, float, reset_after>, Dense<6, 3, float>> a(5), b(5);
  rng g(9);
  xt::xtensor<float, 3> x(std::array{steps, batch, std::size_t(3)});
  fill_uniform(x, g, 1.0);
  xt::xtensor<float, 3> noisy = x;
  for (std::size_t t = 0; t < steps; ++t)
    for (std::size_t s = 0; s < batch; ++s)
      if (t >= std::size_t(ragged[s])) xt::view(noisy, t, s) = 1e30f;  // would overflow if read
  const std::array<int, batch> labels{0, 1, 2, 1};
  const batch_metrics ma = a.train_on_batch(x, labels, ragged);
  const batch_metrics mb = b.train_on_batch(noisy, labels, ragged);
  CHECK(ma.loss == mb.loss);
  CHECK(std::isfinite(mb.loss));
  a.for_each_parameter([&](auto name, auto& p) {
    b.for_each_parameter([&](auto other, auto& q) {
      if (name == other) CHECK_MESSAGE(p == q, name);
    });
  });
}

TEST_CASE("ragged lengths: every length T equals no lengths") {
  Stacked<MGUCell<3, 4, double>, 2> s;
  rng g(1);
  s.for_each_parameter([&](auto, auto& p) { fill_uniform(p, g); });
  xt::xtensor<double, 3> x(std::array{steps, batch, std::size_t(3)});
  fill_uniform(x, g, 1.0);
  decltype(s)::workspace plain, full;
  s.forward(x, plain);
  s.forward(x, full, std::vector<std::size_t>(batch, steps));
  CHECK(xt::xtensor<double, 3>(plain.outputs()) == xt::xtensor<double, 3>(full.outputs()));
}

TEST_CASE("ragged lengths: bad lengths are refused with the entry and the range allowed") {
  GRUCell<3, 4> cell;
  GRUCell<3, 4>::workspace ws;
  const xt::xtensor<float, 3> x = xt::zeros<float>({steps, batch, std::size_t(3)});
  CHECK_THROWS_WITH_AS(cell.forward(x, ws, std::vector<int>{4, 1, 3}),
                       "rnncell: lengths has 3 entries, expected one per sequence (B = 4)", std::invalid_argument);
  CHECK_THROWS_WITH_AS(cell.forward(x, ws, std::vector<int>{4, 0, 3, 2}),
                       "rnncell: lengths[1] = 0, expected a length in [1, T = 5]", std::invalid_argument);
  CHECK_THROWS_WITH_AS(cell.forward(x, ws, std::vector<int>{4, 1, 6, 2}),
                       "rnncell: lengths[2] = 6, expected a length in [1, T = 5]", std::invalid_argument);
  CHECK_THROWS_WITH_AS(cell.forward(x, ws, std::vector<long>{-1, 1, 3, 2}),
                       "rnncell: lengths[0] = -1, expected a length in [1, T = 5]", std::invalid_argument);
  Model<GRUCell<3, 4>, Dense<4, 2>> m(1);
  CHECK_THROWS_WITH_AS(m.predict(x, std::vector<unsigned>{1, 2}),
                       "rnncell: lengths has 2 entries, expected one per sequence (B = 4)", std::invalid_argument);
}
