#pragma once
// The models of the inference comparison with ONNX Runtime (bench/run-onnx.sh): each cell kind at
// three sizes, In = 28 (the grid's rows), 10 classes. bench_inference.cpp times Model::predict on
// them; export_onnx_models.cpp writes the same models (same seeds) with save_onnx for ONNX Runtime.
#include <rnncell/rnncell.hpp>

#include <cstddef>
#include <string>

namespace rnncell_bench {

inline constexpr std::size_t inference_input = 28, inference_classes = 10, inference_steps = 28;

template <class Cell, std::size_t L, std::size_t H>
using inference_model = rnncell::Model<rnncell::Stacked<Cell, L>, rnncell::Dense<H, inference_classes>>;

/// Calls f.template operator()<Model>(name) for every model of the comparison, name as
/// "gru_ra_L2_H128" (the ONNX file's stem and the benchmark's middle part).
template <class F>
void for_each_inference_model(F&& f) {
  constexpr std::size_t In = inference_input;
  const auto sizes = [&]<class Cell50, class Cell128, class Cell256>(const std::string& cell) {
    f.template operator()<inference_model<Cell50, 1, 50>>(cell + "_L1_H50");
    f.template operator()<inference_model<Cell128, 2, 128>>(cell + "_L2_H128");
    f.template operator()<inference_model<Cell256, 3, 256>>(cell + "_L3_H256");
  };
  using rnncell::GRUCell, rnncell::MGUCell, rnncell::LSTMCell, rnncell::reset_after;
  sizes.template operator()<GRUCell<In, 50>, GRUCell<In, 128>, GRUCell<In, 256>>("gru_rb");
  sizes.template operator()<GRUCell<In, 50, float, reset_after>, GRUCell<In, 128, float, reset_after>,
                            GRUCell<In, 256, float, reset_after>>("gru_ra");
  sizes.template operator()<MGUCell<In, 50>, MGUCell<In, 128>, MGUCell<In, 256>>("mgu");
  sizes.template operator()<LSTMCell<In, 50>, LSTMCell<In, 128>, LSTMCell<In, 256>>("lstm");
}

}  // namespace rnncell_bench
