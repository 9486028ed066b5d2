// The Bidirectional layer's cost (issue 30's goal: a bidirectional train step <= 2.05x the
// unidirectional one of the same cell and size): Model::train_on_batch of
// Model<Stacked<Bidirectional<Cell>, L>, Dense<2H, 10>> beside Model<Stacked<Cell, L>, Dense<H, 10>>,
// B = 32, T = 28, In = 28, for every cell at L x H = 1 x 50, 1 x 128, 2 x 256. Names are
// "<direction>/<cell>/train_step/L<layers>/H<hidden>/B32"; bench/run-bidirectional.sh pairs them.
// The GFLOP counter of a bidirectional case is twice the unidirectional one's (the head's share,
// the only part not doubled, is under 1% of it).
#include "cell_benchmarks.hpp"

namespace {

using rnncell::Bidirectional, rnncell::Dense, rnncell::Model, rnncell::Stacked;

template <template <std::size_t, std::size_t> class Cell, std::size_t L, std::size_t H>
void register_pair(rnncell_bench::cell_kind kind) {
  const rnncell_bench::step_config c{kind, int(L), int(H), 32};
  const std::string suffix = std::string(rnncell_bench::name_of(kind)) + "/train_step/L" + std::to_string(L) + "/H" +
                             std::to_string(H) + "/B32";
  using one_way = Model<Stacked<Cell<rnncell_bench::input, H>, L>, Dense<H, rnncell_bench::classes>>;
  using both_ways = Model<Stacked<Bidirectional<Cell<rnncell_bench::input, H>>, L>, Dense<2 * H, rnncell_bench::classes>>;
  benchmark::RegisterBenchmark(("unidirectional/" + suffix).c_str(), [c](benchmark::State& state) {
    rnncell_bench::bench_train_step<one_way>(state, c);
  })->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark(("bidirectional/" + suffix).c_str(), [c](benchmark::State& state) {
    rnncell_bench::bench_train_step<both_ways>(state, c);
    state.counters["GFLOP"].value *= 2;
  })->Unit(benchmark::kMillisecond);
}

const bool registered = [] {
  rnncell_bench::for_each_cell([]<template <std::size_t, std::size_t> class Cell>(rnncell_bench::cell_kind kind) {
    register_pair<Cell, 1, 50>(kind);
    register_pair<Cell, 1, 128>(kind);
    register_pair<Cell, 2, 256>(kind);
  });
  return true;
}();

}  // namespace
