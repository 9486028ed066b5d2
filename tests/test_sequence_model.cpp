// SequenceModel: finite-difference checks (double) of every parameter (the embedding, every cell
// of the stack, every head layer) under the per-step loss; that step t's logits depend on steps
// <= t only; parameter names and a checkpoint round trip; and that a small model learns a
// per-step task.
#include "support/gradcheck.hpp"

#include <rnncell/activation.hpp>
#include <rnncell/checkpoint.hpp>
#include <rnncell/dense.hpp>
#include <rnncell/embedding.hpp>
#include <rnncell/gru.hpp>
#include <rnncell/lstm.hpp>
#include <rnncell/mgu.hpp>
#include <rnncell/sequence_model.hpp>
#include <rnncell/sequential.hpp>
#include <rnncell/stacked.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

using namespace rnncell;
using rnncell::test::check_entries;
using rnncell::test::fill_uniform;

namespace {

constexpr std::size_t steps = 4, batch = 3, vocab = 6, classes = 5;
using tanh_head = Sequential<Dense<7, 4, double>, Activation<activation_function::tanh, 4, double>,
                             Dense<4, classes, double>>;
using relu_head = Sequential<Dense<7, 4, double>, Activation<activation_function::relu, 4, double>,
                             Dense<4, classes, double>>;

xt::xtensor<int, 2> random_ids(rng& g, std::size_t n) {
  xt::xtensor<int, 2> ids(std::array{steps, batch});
  for (auto& v : ids) v = int(g.below(n));
  return ids;
}

template <class Model>
typename Model::input_type random_input(rng& g) {
  if constexpr (std::is_same_v<typename Model::input_type, xt::xtensor<int, 2>>) {
    auto ids = random_ids(g, vocab);
    ids(1, 0) = ids(3, 2) = ids(0, 1);  // an id used three times: its gradient row sums three
    return ids;
  } else {
    xt::xtensor<double, 3> x(std::array{steps, batch, Model::stack_type::input_width});
    fill_uniform(x, g, 1.0);
    return x;
  }
}

// Every parameter, biases included, random and non-zero, so no term of the gradient hides.
// Returns the largest relative error; every parameter tensor is checked (counted against
// expected_tensors, so a part left out of the traversal fails).
template <class Model>
double gradcheck_model(int expected_tensors) {
  rng g(11);
  Model m(5);
  m.for_each_parameter([&](auto, auto& p) { fill_uniform(p, g, 0.6); });
  const auto x = random_input<Model>(g);
  const auto targets = random_ids(g, classes);
  m.compute_gradients(x, targets);
  double worst = 0;
  int checked = 0;
  m.for_each_parameter_and_grad([&](std::string_view name, auto& p, auto& grad) {
    worst = std::max(worst, check_entries(std::string(name), p, grad, [&] { return m.evaluate(x, targets).loss; }));
    ++checked;
  });
  CHECK(checked == expected_tensors);
  return worst;
}

}  // namespace

TEST_CASE("SequenceModel gradients: Embedding, Stacked<GRUCell reset_after, 2>, Dense-tanh-Dense head") {
  using model = SequenceModel<Embedding<vocab, 5, double>, Stacked<GRUCell<5, 7, double, reset_after>, 2>, tanh_head>;
  MESSAGE("largest relative error " << gradcheck_model<model>(1 + 2 * 4 + 2 * 2));
}

TEST_CASE("SequenceModel gradients: Embedding, Stacked<GRUCell reset_before, 3>, Dense-relu-Dense head") {
  using model = SequenceModel<Embedding<vocab, 5, double>, Stacked<GRUCell<5, 7, double>, 3>, relu_head>;
  MESSAGE("largest relative error " << gradcheck_model<model>(1 + 3 * 3 + 2 * 2));
}

TEST_CASE("SequenceModel gradients: float features (Identity), one MGUCell, one Dense head") {
  using model = SequenceModel<Identity<5, double>, MGUCell<5, 7, double>, Dense<7, classes, double>>;
  MESSAGE("largest relative error " << gradcheck_model<model>(3 + 2));
}

TEST_CASE("SequenceModel gradients: Embedding, Stacked<LSTMCell, 2> (state [h | c]: outputs read with a stride)") {
  using model = SequenceModel<Embedding<vocab, 5, double>, Stacked<LSTMCell<5, 7, double>, 2>, tanh_head>;
  MESSAGE("largest relative error " << gradcheck_model<model>(1 + 2 * 3 + 2 * 2));
}

TEST_CASE("SequenceModel: the logits of step t depend on steps <= t only, one row per (t, b)") {
  SequenceModel<Embedding<vocab, 5, double>, GRUCell<5, 7, double>, tanh_head> m(3);
  rng g(4);
  const auto ids = random_ids(g, vocab);
  const xt::xtensor<double, 3> full = m.predict(ids);
  REQUIRE(full.shape() == std::array<std::size_t, 3>{steps, batch, classes});
  const xt::xtensor<int, 2> prefix = xt::view(ids, xt::range(0, 2), xt::all());
  const xt::xtensor<double, 3> early = m.predict(prefix);
  CHECK(early == xt::view(full, xt::range(0, 2), xt::all(), xt::all()));
  const xt::xtensor<int, 2> one_sequence = xt::view(ids, xt::all(), xt::range(1, 2));
  const xt::xtensor<double, 3> alone = m.predict(one_sequence);
  CHECK(xt::allclose(alone, xt::view(full, xt::all(), xt::range(1, 2), xt::all()), 0.0, 1e-14));
}

TEST_CASE("SequenceModel: parameter names, and a checkpoint round trip restores every prediction") {
  using model = SequenceModel<Embedding<vocab, 5, double>, Stacked<GRUCell<5, 7, double>, 2>, tanh_head>;
  model m(1);
  std::vector<std::string> names;
  m.for_each_parameter([&](std::string_view name, auto&) { names.emplace_back(name); });
  const std::vector<std::string> expected = {"input.E",         "rnn.layer0.Wx", "rnn.layer0.Wh", "rnn.layer0.b",
                                             "rnn.layer1.Wx",   "rnn.layer1.Wh", "rnn.layer1.b",  "head.layer0.W",
                                             "head.layer0.b",   "head.layer2.W", "head.layer2.b"};
  CHECK(names == expected);
  rng g(2);
  const auto ids = random_ids(g, vocab);
  const auto targets = random_ids(g, classes);
  for (int i = 0; i < 3; ++i) m.train_on_batch(ids, targets);
  const xt::xtensor<double, 3> before = m.predict(ids);
  const auto path = std::filesystem::temp_directory_path() / "rnncell_sequence_model_roundtrip.npz";
  save_npz(path, m);
  model other(99);
  CHECK(other.predict(ids) != before);
  load_npz(path, other);
  std::filesystem::remove(path);
  CHECK(other.predict(ids) == before);
}

TEST_CASE("SequenceModel learns a per-step task: the target at t is the token at t - 1") {
  constexpr std::size_t symbols = 5, T = 12, B = 16;
  SequenceModel<Embedding<symbols, 8>, GRUCell<8, 24>, Dense<24, symbols>> m(8);
  m.optimizer().lr = 0.01f;
  rng g(9);
  xt::xtensor<int, 2> ids(std::array{T, B}), targets(std::array{T, B});
  double first = 0, last = 0;
  for (int step = 0; step < 300; ++step) {
    for (auto& v : ids) v = int(g.below(symbols));
    for (std::size_t b = 0; b < B; ++b) {
      targets(0, b) = 0;
      for (std::size_t t = 1; t < T; ++t) targets(t, b) = ids(t - 1, b);
    }
    const batch_metrics r = m.train_on_batch(ids, targets);
    if (step == 0) first = r.loss;
    last = r.loss;
  }
  MESSAGE("loss " << first << " -> " << last);
  CHECK(first > 1.4);  // about log 5 at the start
  CHECK(last < 0.2);   // steps 1.. are copies, step 0 is always 0: learnable to near zero
}
