// What a variable-length batch costs: the train step of a GRU model on B = 32 sequences of T = 28
// steps, without lengths, with every length 28, and ragged (lengths spread over [1, 28], the
// longest 28). The goal: a masked batch costs no more than the same batch at its longest
// length. Run with --benchmark_enable_random_interleaving=true --benchmark_repetitions=N.
#include <benchmark/benchmark.h>

#include <rnncell/rnncell.hpp>

#include <string>
#include <vector>

namespace {

constexpr std::size_t steps = 28, batch = 32, input = 28, classes = 10;

enum class lengths_kind { none, all_full, ragged };

std::vector<int> lengths_of(lengths_kind kind) {
  std::vector<int> lengths(batch, int(steps));
  if (kind == lengths_kind::ragged)
    for (std::size_t b = 0; b < batch; ++b) lengths[b] = int(1 + b * (steps - 1) / (batch - 1));  // 1 .. 28
  return lengths;
}

template <std::size_t H, std::size_t L>
void bench_train_step(benchmark::State& state, lengths_kind kind) {
  rnncell::Model<rnncell::Stacked<rnncell::GRUCell<input, H>, L>, rnncell::Dense<H, classes>> model(42);
  rnncell::rng g(7);
  xt::xtensor<float, 3> x({steps, batch, input});
  for (auto& v : x) v = float(g.uniform(0, 1));
  std::vector<int> labels(batch);
  for (auto& y : labels) y = int(g.below(classes));
  const std::vector<int> lengths = lengths_of(kind);
  const auto step = [&] {
    return kind == lengths_kind::none ? model.train_on_batch(x, labels) : model.train_on_batch(x, labels, lengths);
  };
  step();
  for (auto _ : state) benchmark::DoNotOptimize(step());
}

template <std::size_t H, std::size_t L>
void register_size() {
  const std::string size = "/L" + std::to_string(L) + "/H" + std::to_string(H);
  for (auto [kind, name] : {std::pair{lengths_kind::none, "no_lengths"}, std::pair{lengths_kind::all_full, "lengths_all_28"},
                            std::pair{lengths_kind::ragged, "lengths_ragged_max_28"}})
    benchmark::RegisterBenchmark(("gru_rb/train_step" + size + "/" + name).c_str(), bench_train_step<H, L>, kind)
        ->Unit(benchmark::kMillisecond);
}

const bool registered = [] {
  register_size<50, 1>();
  register_size<128, 1>();
  register_size<128, 3>();
  return true;
}();

}  // namespace
