#pragma once
// One grid run: the seed lab's training protocol for one model and one seed.
#include "data/batches.hpp"
#include "grid/run_record.hpp"
#include "data/split.hpp"
#include "grid/trainable.hpp"

#include <atomic>

namespace notmnist {

/// What a run tells the outside while it trains; called from the run's own thread.
class run_observer {
 public:
  virtual ~run_observer() = default;
  virtual void batch_done(const run_id& id) = 0;
  virtual void epoch_done(const run_id& id, int epoch, const history& so_far) = 0;
};

struct run_outcome {
  run_record record;
  bool interrupted = false;  // stopped by `stop`; the record is incomplete and must not be kept
};

/// Per epoch: reshuffle the training order (generator seeded with id.seed), train in batches of
/// protocol.batch (the last one smaller, as Keras), then evaluate the validation set. Losses and
/// accuracies are sample-weighted means over the epoch, as Keras reports them. A NaN or Inf loss
/// ends the run as failed; the history keeps only the epochs that finished with finite numbers.
run_outcome train_run(trainable& model, const run_id& id, const dataset& data, const data_split& split,
                      const training_protocol& protocol, run_observer& observer, const std::atomic<bool>& stop);

}  // namespace notmnist
