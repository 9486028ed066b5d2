#pragma once
// Runs a share of the grid: skips the runs already on disk, runs the rest `jobs` at a time (the
// longest first), writes each run's record the moment it ends, and stops cleanly on request.
#include "data/dataset.hpp"
#include "grid/grid_config.hpp"
#include "grid/run_store.hpp"
#include "data/split.hpp"

#include <atomic>
#include <ostream>
#include <vector>

namespace notmnist {

struct grid_request {
  std::vector<run_id> runs;  // this process's share of the grid
  training_protocol protocol;
  int jobs = 1;
  bool live_bar = false;
};

struct grid_outcome {
  std::size_t already_done = 0;  // found on disk and skipped
  std::size_t finished = 0;
  std::size_t failed = 0;        // NaN/Inf loss, recorded as failed
  std::size_t errors = 0;        // a run threw; nothing recorded, a rerun retries it
  bool interrupted = false;
};

/// BLAS must already be single-threaded (see main): runs execute in parallel threads and their
/// results must not depend on how many run at once.
grid_outcome run_grid(const grid_request& request, const dataset& data, const data_split& split, const run_store& store,
                      std::ostream& out, const std::atomic<bool>& stop);

}  // namespace notmnist
