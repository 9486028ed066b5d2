#pragma once
// Relative cost of one epoch of a config, for the grid's ETA and for starting the longest runs
// first (so that parallel jobs finish together).
#include "grid_config.hpp"

namespace notmnist {

/// Multiply-adds per sequence step of the stack's matrix products: gates x H x (In + H) for layer
/// 0, gates x H x 2H for each layer above. The head and elementwise work are small next to it.
double epoch_work(const model_config& config);

}  // namespace notmnist
