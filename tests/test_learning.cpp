// GRU and MGU models learn a small synthetic sequence task, deterministically from fixed seeds:
// T steps of C channels of U(0, 1) noise, the label's channel raised by 0.5 at every step. One step
// alone is weak evidence (noise std 0.29 per channel); the model must integrate across steps
// through its recurrent state (the Bayes accuracy over 10 steps is above 99%).
#include <rnncell/rnncell.hpp>

#include <doctest/doctest.h>

#include <vector>

using namespace rnncell;

namespace {

constexpr std::size_t steps = 10, channels = 4, batch = 32;

struct task_batch {
  xt::xtensor<float, 3> x = xt::zeros<float>({steps, batch, channels});
  std::vector<int> labels = std::vector<int>(batch);
};

task_batch make_batch(rng& g) {
  task_batch b;
  for (std::size_t i = 0; i < batch; ++i) {
    b.labels[i] = int(g.below(channels));
    for (std::size_t t = 0; t < steps; ++t)
      for (std::size_t c = 0; c < channels; ++c)
        b.x(t, i, c) = float(g.uniform(0, 1) + (int(c) == b.labels[i] ? 0.5 : 0.0));
  }
  return b;
}

template <class Cell>
double accuracy_after_training(std::size_t training_batches) {
  Model<Stacked<Cell, 1>, Dense<Cell::hidden_width, channels>> model(17);
  model.optimizer().lr = 1e-2;
  rng data(23);
  for (std::size_t i = 0; i < training_batches; ++i) {
    const task_batch b = make_batch(data);
    model.train_on_batch(b.x, b.labels);
  }
  double correct = 0;
  rng held_out(99);
  for (int i = 0; i < 16; ++i) {
    const task_batch b = make_batch(held_out);
    correct += model.evaluate(b.x, b.labels).accuracy;
  }
  return correct / 16;
}

}  // namespace

TEST_CASE("a GRU model learns the synthetic evidence task to > 95%") {
  const double acc = accuracy_after_training<GRUCell<channels, 32>>(600);
  MESSAGE("GRU held-out accuracy " << acc);
  CHECK(acc > 0.95);
}

TEST_CASE("an MGU model learns the synthetic evidence task to > 95%") {
  const double acc = accuracy_after_training<MGUCell<channels, 32>>(600);
  MESSAGE("MGU held-out accuracy " << acc);
  CHECK(acc > 0.95);
}
