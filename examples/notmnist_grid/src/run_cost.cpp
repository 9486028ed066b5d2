#include "run_cost.hpp"

#include "dataset.hpp"

namespace notmnist {

double epoch_work(const model_config& c) {
  const double gates = c.cell == cell_kind::gru ? 3 : 2;
  const double h = c.hidden;
  return gates * h * (double(image_side) + h) + double(c.layers - 1) * gates * h * 2 * h;
}

}  // namespace notmnist
