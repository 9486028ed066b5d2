// OUR side of the RLtools sequence benchmark (issue 13), from rnncell's public API: ids (T 64,
// B 32) -> Embedding 256 -> 32 -> GRU 64 (reset-after) -> Dense 64 -> 32 -> Dense 32 -> 256, no
// activations (as RLtools' model), cross-entropy at every step, Adam (lr 0.003, TF defaults).
// One iteration = one train step, as the RLtools peer (bench/peers) times it; ours also computes
// the loss value and accuracy (the peer skips the loss value): "with_loss" in the name.
#include <benchmark/benchmark.h>
#include <rnncell/rnncell.hpp>

#include <array>

namespace {

constexpr std::size_t vocab = 256, steps = 64, batch = 32;
using model = rnncell::SequenceModel<rnncell::Embedding<vocab, 32>, rnncell::GRUCell<32, 64, float, rnncell::reset_after>,
                                     rnncell::Sequential<rnncell::Dense<64, 32>, rnncell::Dense<32, vocab>>>;

void sequence_model_train_step(benchmark::State& state) {
  model m(1);
  m.optimizer().lr = 0.003f;
  rnncell::rng g(2);
  std::array<xt::xtensor<int, 2>, 4> ids, targets;  // a few batches in turn, as training reads them
  for (std::size_t i = 0; i < ids.size(); ++i) {
    ids[i].resize({steps, batch}), targets[i].resize({steps, batch});
    for (auto& v : ids[i]) v = int(g.below(vocab));
    for (auto& v : targets[i]) v = int(g.below(vocab));
  }
  m.train_on_batch(ids[0], targets[0]);  // sizes every buffer and Adam's moments
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(m.train_on_batch(ids[i], targets[i]));
    i = (i + 1) % ids.size();
  }
  state.counters["train_steps"] = benchmark::Counter(1, benchmark::Counter::kIsIterationInvariantRate);
}

BENCHMARK(sequence_model_train_step)
    ->Name("sequence_model/rltools_reference/train_step_with_loss")
    ->Unit(benchmark::kMicrosecond);

}  // namespace
