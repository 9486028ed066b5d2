#pragma once
// One grid run: the seed lab's training protocol for one model and one seed.
#include "data/batches.hpp"
#include "grid/run_record.hpp"
#include "data/split.hpp"
#include "grid/trainable.hpp"

#include <rnncell/random.hpp>

#include <atomic>
#include <cstdint>

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

/// The generator of a run's per-epoch training order: rng(seed) jumped once (2^128 draws ahead),
/// so that the order and the model's initialisation, which draws from rng(seed), are independent
/// draws rather than the same numbers used twice.
rnncell::rng training_order_stream(std::uint64_t seed);

/// Per epoch: reshuffle the training order (drawn from training_order_stream(id.seed)), train in
/// batches of protocol.batch (the last one smaller, as Keras), then evaluate the validation set.
/// Losses and accuracies are sample-weighted means over the epoch, as Keras reports them. A NaN or
/// Inf loss ends the run as failed; the history keeps only the epochs that finished with finite
/// numbers.
run_outcome train_run(trainable& model, const run_id& id, const dataset& data, const data_split& split,
                      const training_protocol& protocol, run_observer& observer, const std::atomic<bool>& stop);

}  // namespace notmnist
