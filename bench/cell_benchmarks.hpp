#pragma once
// Registers, for one cell kind, the Google Benchmark cases of the issue: forward, forward +
// backward (the loss on the last step only, as the classifier has) and a full train step
// (Model::train_on_batch: forward, softmax-CE, backward, Adam) for layers 1..3 x hidden
// {50, 128, 256} x batch {32, 128}, T = 28, In = 28, float. One layer is the cell itself, more
// are Stacked<Cell, L>; the train step always uses Model<Stacked<Cell, L>, Dense<H, 10>>.
// Names are "<cell>/<pass>/L<layers>/H<hidden>/B<batch>"; bench/report.py parses them.
#include <benchmark/benchmark.h>

#include <rnncell/rnncell.hpp>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "step_gemms.hpp"

namespace rnncell_bench {

inline constexpr std::size_t steps = 28, input = 28, classes = 10;
inline constexpr int batches[] = {32, 128};

inline void set_counters(benchmark::State& state, const step_config& c, pass_kind pass) {
  state.counters["samples"] = benchmark::Counter(double(c.batch), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["GFLOP"] =
      benchmark::Counter(step_flops(c, pass) * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

// Images are in [0, 1); labels 0..9; both from the library's seeded generator.
inline xt::xtensor<float, 3> random_sequences(std::size_t batch, rnncell::rng& g) {
  xt::xtensor<float, 3> x({steps, batch, input});
  for (auto& v : x) v = float(g.uniform01());
  return x;
}

// Google Benchmark calls a case's function afresh for every trial (warm-up, iteration-count
// search, the measurement), so each call first runs one untimed pass: it sizes the workspace,
// which is what a training loop reuses, and takes the page faults of first touching it (very
// slow on this VM: without it, a slow case timed at one iteration measured 2-3x too long).
template <class Net>
void bench_recurrent(benchmark::State& state, step_config c, pass_kind pass) {
  rnncell::rng g(42);
  Net net;
  net.initialize(g);
  typename Net::workspace ws;
  const auto x = random_sequences(std::size_t(c.batch), g);
  xt::xtensor<float, 2> dh_last({std::size_t(c.batch), Net::hidden_width});
  for (auto& v : dh_last) v = float(g.uniform(-0.1, 0.1));
  const auto run_once = [&] {
    net.forward(x, ws);
    if (pass == pass_kind::forward_backward) net.backward_last(x, ws, dh_last);
    benchmark::ClobberMemory();
  };
  run_once();
  for (auto _ : state) run_once();
  set_counters(state, c, pass);
}

// Cycles through a few batches, as training does, rather than fitting one batch until its loss
// (and with it every gradient) is nearly zero.
// configure(model) runs once after construction: e.g. dropout rates (bench_dropout.cpp).
template <class Model, class Configure>
void bench_configured_train_step(benchmark::State& state, step_config c, Configure configure) {
  constexpr std::size_t distinct_batches = 8;
  rnncell::rng g(7);
  Model model(42);
  configure(model);
  std::vector<xt::xtensor<float, 3>> xs;
  std::vector<std::vector<int>> labels(distinct_batches, std::vector<int>(std::size_t(c.batch)));
  for (auto& batch_labels : labels) {
    xs.push_back(random_sequences(std::size_t(c.batch), g));
    for (auto& y : batch_labels) y = int(g.below(classes));
  }
  model.train_on_batch(xs[0], labels[0]);  // sizes the workspace, creates Adam's moments
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(model.train_on_batch(xs[i], labels[i]));
    i = (i + 1) % distinct_batches;
  }
  set_counters(state, c, pass_kind::train_step);
}

template <class Model>
void bench_train_step(benchmark::State& state, step_config c) {
  bench_configured_train_step<Model>(state, c, [](Model&) {});
}

// The four cells in float, as the programs that register every cell name them.
template <std::size_t In, std::size_t H>
using gru_rb_cell = rnncell::GRUCell<In, H, float, rnncell::reset_before>;
template <std::size_t In, std::size_t H>
using gru_ra_cell = rnncell::GRUCell<In, H, float, rnncell::reset_after>;
template <std::size_t In, std::size_t H>
using mgu_cell = rnncell::MGUCell<In, H, float>;
template <std::size_t In, std::size_t H>
using lstm_cell = rnncell::LSTMCell<In, H, float>;

// f.template operator()<Cell>(kind) for each cell, GRU reset-before first: a generic lambda
// []<template <std::size_t, std::size_t> class Cell>(cell_kind kind) { ... }.
template <class F>
void for_each_cell(F&& f) {
  f.template operator()<gru_rb_cell>(cell_kind::gru_reset_before);
  f.template operator()<gru_ra_cell>(cell_kind::gru_reset_after);
  f.template operator()<mgu_cell>(cell_kind::mgu);
  f.template operator()<lstm_cell>(cell_kind::lstm);
}

inline std::string case_name(const step_config& c, pass_kind pass) {
  return std::string(name_of(c.cell)) + "/" + std::string(name_of(pass)) + "/L" + std::to_string(c.layers) +
         "/H" + std::to_string(c.hidden) + "/B" + std::to_string(c.batch);
}

// CellOf<In, H> is the cell kind with the given widths.
template <template <std::size_t, std::size_t> class CellOf, std::size_t H, std::size_t L>
void register_config(cell_kind kind) {
  using stack = rnncell::Stacked<CellOf<input, H>, L>;
  using recurrent = std::conditional_t<L == 1, CellOf<input, H>, stack>;
  using model = rnncell::Model<stack, rnncell::Dense<H, classes>>;
  for (int batch : batches) {
    const step_config c{kind, int(L), int(H), batch};
    for (pass_kind pass : {pass_kind::forward, pass_kind::forward_backward})
      benchmark::RegisterBenchmark(case_name(c, pass).c_str(), bench_recurrent<recurrent>, c, pass)
          ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(case_name(c, pass_kind::train_step).c_str(), bench_train_step<model>, c)
        ->Unit(benchmark::kMillisecond);
  }
}

template <template <std::size_t, std::size_t> class CellOf>
bool register_cell_benchmarks(cell_kind kind) {
  [&]<std::size_t... L>(std::index_sequence<L...>) {
    ((register_config<CellOf, 50, L + 1>(kind), register_config<CellOf, 128, L + 1>(kind),
      register_config<CellOf, 256, L + 1>(kind)),
     ...);
  }(std::make_index_sequence<3>{});
  return true;
}

}  // namespace rnncell_bench
