// Inference, ours: Model::predict(x) on x (T = 28, B, In = 28) for each model of
// inference_models.hpp at B = 1 and B = 32, what bench/run-onnx.sh sets beside ONNX Runtime running
// the same models exported with save_onnx. One iteration = one predict (forward of every layer and
// the head; no loss, no backward).
#include <benchmark/benchmark.h>

#include "inference_models.hpp"

namespace {

template <class M>
void predict(benchmark::State& state) {
  M model(1);
  rnncell::rng g(2);
  xt::xtensor<float, 3> x({rnncell_bench::inference_steps, std::size_t(state.range(0)), M::input_width});
  for (auto& v : x) v = float(g.uniform(-1, 1));
  model.predict(x);  // sizes the buffers
  for (auto _ : state) benchmark::DoNotOptimize(model.predict(x).data());
}

const bool registered = [] {
  rnncell_bench::for_each_inference_model([]<class M>(const std::string& name) {
    for (const int batch : {1, 32})
      benchmark::RegisterBenchmark(("inference/" + name + "/B" + std::to_string(batch)).c_str(), predict<M>)
          ->Arg(batch)
          ->Unit(benchmark::kMicrosecond);
  });
  return true;
}();

}  // namespace
