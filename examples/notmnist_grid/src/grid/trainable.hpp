#pragma once
// A model of any compiled (cell, layers, hidden), seen through one small interface so that the
// training loop, the grid and the reports are written once, not once per width.
#include "data/batches.hpp"

#include <rnncell/model.hpp>  // rnncell::batch_metrics

#include <cstddef>

namespace notmnist {

class trainable {
 public:
  virtual ~trainable() = default;
  virtual rnncell::batch_metrics train_on_batch(const batch& b) = 0;  // one Adam step
  virtual rnncell::batch_metrics evaluate(const batch& b) = 0;        // no update
  virtual std::size_t parameter_count() = 0;
};

}  // namespace notmnist
