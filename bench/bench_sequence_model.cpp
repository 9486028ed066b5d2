// OUR side of the RLtools sequence benchmark (issue 13): its model, built from rnncell's public
// API: token ids (T = 64, B = 32) -> Embedding 256 -> 32 -> GRU 64 (reset-after, as RLtools' and
// PyTorch's) -> Dense 64 -> 32 -> Dense 32 -> 256 (identity activations, as RLtools' model), a
// softmax cross-entropy at every step, Adam (lr 0.003, TensorFlow's defaults otherwise). One
// iteration = one train step (forward, loss, backward through time, Adam); the time per iteration
// is the ns per train step that the RLtools peer (bench/peers) reports for the same model.
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

BENCHMARK(sequence_model_train_step)->Name("sequence_model/rltools_reference/train_step")->Unit(benchmark::kMicrosecond);

}  // namespace
