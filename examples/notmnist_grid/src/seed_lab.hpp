#pragma once
// The seed lab's published numbers (Keras, 20 epochs, 3 seeds), where its report is legible.
#include "grid_config.hpp"

#include <optional>

namespace notmnist {

struct reference_result {
  double accuracy;  // mean final validation accuracy over 3 seeds
  double std;
};

std::optional<reference_result> seed_lab_result(const model_config& config);

}  // namespace notmnist
