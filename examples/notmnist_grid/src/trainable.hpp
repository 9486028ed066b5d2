#pragma once
// A model of any compiled (cell, layers, hidden), seen through one small interface so that the
// training loop, the grid and the reports are written once, not once per width.
#include "batches.hpp"

#include <cstddef>

namespace notmnist {

struct batch_result {
  double loss = 0;      // mean softmax cross-entropy over the batch
  double accuracy = 0;  // fraction of the batch classified right
};

class trainable {
 public:
  virtual ~trainable() = default;
  virtual batch_result train_on_batch(const batch& b) = 0;  // one Adam step
  virtual batch_result evaluate(const batch& b) = 0;        // no update
  virtual std::size_t parameter_count() = 0;
};

}  // namespace notmnist
