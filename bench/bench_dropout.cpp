// Dropout's cost (issue 30's goal: a train step with dropout <= 1.05x the one without at H >= 128):
// Model::train_on_batch of Model<Stacked<Cell, 2>, Dense<H, 10>>, B = 32, T = 28, In = 28, at
// H = 128 and 256, for every cell, three ways: "none" (every rate 0, the seed protocol),
// "recurrent" (every layer's recurrent_dropout 0.2, the grid's --recurrent-dropout 0.2 run) and
// "all" (every layer's dropout and recurrent_dropout 0.2, and 0.2 between the layers). Names are
// "<rates>/<cell>/train_step/L2/H<hidden>/B32"; bench/run-dropout.sh pairs them with "none".
#include "cell_benchmarks.hpp"

namespace {

using rnncell::Dense, rnncell::Model, rnncell::Stacked;

template <class M>
void set_rates(M& model, double dropout, double recurrent_dropout, double between) {
  model.rnn.for_each_part([&](auto, auto& cell) {
    cell.dropout = dropout;
    cell.recurrent_dropout = recurrent_dropout;
  });
  model.rnn.dropout = between;
}

template <template <std::size_t, std::size_t> class Cell, std::size_t H>
void register_rates(rnncell_bench::cell_kind kind) {
  constexpr std::size_t layers = 2;
  const rnncell_bench::step_config c{kind, int(layers), int(H), 32};
  const std::string suffix = std::string(rnncell_bench::name_of(kind)) + "/train_step/L2/H" + std::to_string(H) + "/B32";
  using model = Model<Stacked<Cell<rnncell_bench::input, H>, layers>, Dense<H, rnncell_bench::classes>>;
  const struct {
    const char* label;
    double dropout, recurrent_dropout, between;
  } settings[] = {{"none", 0, 0, 0}, {"recurrent", 0, 0.2, 0}, {"all", 0.2, 0.2, 0.2}};
  for (const auto& s : settings)
    benchmark::RegisterBenchmark((std::string(s.label) + "/" + suffix).c_str(), [c, s](benchmark::State& state) {
      rnncell_bench::bench_configured_train_step<model>(
          state, c, [&](model& m) { set_rates(m, s.dropout, s.recurrent_dropout, s.between); });
    })->Unit(benchmark::kMillisecond);
}

const bool registered = [] {
  rnncell_bench::for_each_cell([]<template <std::size_t, std::size_t> class Cell>(rnncell_bench::cell_kind kind) {
    register_rates<Cell, 128>(kind);
    register_rates<Cell, 256>(kind);
  });
  return true;
}();

}  // namespace
