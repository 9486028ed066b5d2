// SequenceModel on padded batches (per-sequence lengths): finite-difference checks of every
// parameter with ragged lengths; the loss and gradients of a padded batch equal the step-weighted
// mean of each sequence run alone at its own length; padded steps' logits are zero and their
// targets are never read; bad lengths are refused.
#include "support/gradcheck.hpp"

#include <rnncell/activation.hpp>
#include <rnncell/dense.hpp>
#include <rnncell/embedding.hpp>
#include <rnncell/gru.hpp>
#include <rnncell/mgu.hpp>
#include <rnncell/sequence_model.hpp>
#include <rnncell/sequential.hpp>
#include <rnncell/stacked.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

using namespace rnncell;
using rnncell::test::check_entries;
using rnncell::test::fill_uniform;

namespace {

constexpr std::size_t steps = 5, batch = 3, vocab = 6, classes = 4;
using head = Sequential<Dense<7, 4, double>, Activation<activation_function::tanh, 4, double>, Dense<4, classes, double>>;
using model = SequenceModel<Embedding<vocab, 5, double>, Stacked<GRUCell<5, 7, double, reset_after>, 2>, head>;

struct padded_batch {
  xt::xtensor<int, 2> ids, targets;
};

// Targets at padded steps are -100 (PyTorch's ignore_index): a read of one would throw.
padded_batch random_batch(rng& g, const std::vector<int>& lengths) {
  padded_batch p{xt::xtensor<int, 2>(std::array{steps, batch}), xt::xtensor<int, 2>(std::array{steps, batch})};
  for (std::size_t t = 0; t < steps; ++t)
    for (std::size_t b = 0; b < batch; ++b) {
      p.ids(t, b) = int(g.below(vocab));
      p.targets(t, b) = int(t) < lengths[b] ? int(g.below(classes)) : -100;
    }
  return p;
}

std::vector<double> gradients_of(model& m) {
  std::vector<double> all;
  m.for_each_parameter_and_grad([&](auto, auto&, auto& grad) { all.insert(all.end(), grad.begin(), grad.end()); });
  return all;
}

}  // namespace

TEST_CASE("SequenceModel with lengths: finite differences of every parameter, ragged lengths") {
  // {5, 1, 3}: the longest fills T; {4, 1, 2}: step 4 is past every sequence (not computed).
  for (const std::vector<int>& lengths : {std::vector<int>{5, 1, 3}, std::vector<int>{4, 1, 2}}) {
    rng g(21);
    model m(1);
    m.for_each_parameter([&](auto, auto& p) { fill_uniform(p, g, 0.6); });
    const padded_batch p = random_batch(g, lengths);
    m.compute_gradients(p.ids, p.targets, lengths);
    double worst = 0;
    m.for_each_parameter_and_grad([&](std::string_view name, auto& param, auto& grad) {
      worst = std::max(worst, check_entries(std::string(name), param, grad,
                                            [&] { return m.evaluate(p.ids, p.targets, lengths).loss; }));
    });
    MESSAGE("lengths {" << lengths[0] << ", " << lengths[1] << ", " << lengths[2] << "}: largest relative error "
                        << worst);
  }
}

TEST_CASE("SequenceModel with lengths = each sequence alone at its length, weighted by its steps") {
  const std::vector<int> lengths{2, 5, 3};
  rng g(22);
  model m(2);
  m.for_each_parameter([&](auto, auto& p) { fill_uniform(p, g, 0.6); });
  const padded_batch p = random_batch(g, lengths);
  const batch_metrics padded = m.compute_gradients(p.ids, p.targets, lengths);
  const std::vector<double> padded_grads = gradients_of(m);

  const double total_steps = 2 + 5 + 3;
  double loss = 0;
  std::vector<double> grads(padded_grads.size(), 0.0);
  for (std::size_t b = 0; b < batch; ++b) {
    const auto length = std::size_t(lengths[b]);
    const xt::xtensor<int, 2> ids = xt::view(p.ids, xt::range(0, length), xt::range(b, b + 1));
    const xt::xtensor<int, 2> targets = xt::view(p.targets, xt::range(0, length), xt::range(b, b + 1));
    loss += m.compute_gradients(ids, targets).loss * double(length) / total_steps;
    const std::vector<double> alone = gradients_of(m);
    for (std::size_t i = 0; i < grads.size(); ++i) grads[i] += alone[i] * double(length) / total_steps;
  }
  CHECK(std::abs(padded.loss - loss) < 1e-13);
  double worst = 0;
  for (std::size_t i = 0; i < grads.size(); ++i) worst = std::max(worst, std::abs(grads[i] - padded_grads[i]));
  CHECK(worst < 1e-13);
  MESSAGE("largest gradient difference " << worst << " over " << grads.size() << " entries");
}

TEST_CASE("SequenceModel with lengths: valid steps' logits as without padding, padded ones zero") {
  const std::array<std::int64_t, batch> lengths{3, 1, 5};  // any contiguous range of integers
  rng g(23);
  model m(3);
  const padded_batch p = random_batch(g, {3, 1, 5});
  const xt::xtensor<double, 3> full = m.predict(p.ids);
  const xt::xtensor<double, 3> masked = m.predict(p.ids, lengths);
  for (std::size_t t = 0; t < steps; ++t)
    for (std::size_t b = 0; b < batch; ++b)
      for (std::size_t c = 0; c < classes; ++c)
        CHECK(masked(t, b, c) == (std::int64_t(t) < lengths[b] ? full(t, b, c) : 0.0));
}

TEST_CASE("SequenceModel with lengths: bad lengths, and bad targets at valid steps, are refused") {
  model m(4);
  rng g(24);
  const padded_batch p = random_batch(g, {5, 2, 1});
  const auto message_of = [&](auto&& f) -> std::string {
    try {
      f();
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "(nothing thrown)";
  };
  CHECK(message_of([&] { m.train_on_batch(p.ids, p.targets, std::vector<int>{5, 2}); }) ==
        "rnncell: lengths has 2 entries, expected one per sequence (B = 3)");
  CHECK(message_of([&] { m.evaluate(p.ids, p.targets, std::vector<int>{5, 0, 1}); }) ==
        "rnncell: lengths[1] = 0, expected a length in [1, T = 5]");
  CHECK(message_of([&] { m.predict(p.ids, std::vector<int>{6, 2, 1}); }).find("lengths[0] = 6") != std::string::npos);
  CHECK(message_of([&] { m.train_on_batch(p.ids, p.targets, std::vector<int>{5, 2, 1}); }) == "(nothing thrown)");
  // Step 2 of sequence 1 is padded under {5, 2, 1} but valid under {5, 3, 1}: its -100 is then read.
  CHECK(message_of([&] { m.train_on_batch(p.ids, p.targets, std::vector<int>{5, 3, 1}); }) ==
        "rnncell: target -100 at (t = 2, b = 1) is outside 0..3");
}
