#pragma once
// Per config, over its seeds: the numbers of the results table and the curves of the plots.
// Failed runs are counted and named, never averaged.
#include "run_record.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace notmnist {

struct mean_std {
  double mean = 0;
  double std = 0;  // population std (numpy's default, ddof = 0), as the seed lab's np.std
};
mean_std mean_and_std(const std::vector<double>& values);

struct config_summary {
  model_config config;
  std::size_t parameter_count = 0;
  std::size_t runs = 0;                  // recorded runs, failed included
  std::vector<double> final_accuracies;  // one per successful run
  std::vector<std::string> failures;     // "seed 1001: training loss became NaN in epoch 3"
  mean_std val_accuracy;                 // of the final epoch, over successful runs
  double seconds_per_epoch = 0;          // mean over every epoch of the successful runs
  std::vector<mean_std> val_accuracy_curve, val_loss_curve;  // per epoch, over successful runs
};

/// One summary per config present in `records`, ordered by (cell, layers, hidden).
std::vector<config_summary> summarize(const std::vector<run_record>& records);

}  // namespace notmnist
