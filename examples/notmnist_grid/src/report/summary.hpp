#pragma once
// Per config, over its seeds: the numbers of the results table and the curves of the plots,
// beside the seed lab's published number. Failed runs are counted and named, never averaged.
#include "grid/run_record.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace notmnist {

struct mean_std {
  double mean = 0;
  double std = 0;  // population std (numpy's default, ddof = 0), as the seed lab's np.std
};
mean_std mean_and_std(const std::vector<double>& values);

/// The seed lab's published result for one config (Keras, 20 epochs, 3 seeds).
struct reference_result {
  double accuracy;  // mean final validation accuracy over 3 seeds
  double std;
};

struct config_summary {
  model_config config;
  std::size_t parameter_count = 0;
  std::size_t runs = 0;                  // recorded runs, failed included
  std::vector<double> final_accuracies;  // one per successful run
  std::vector<std::string> failures;     // "seed 1001: training loss became NaN in epoch 3"
  mean_std val_accuracy;                 // of the final epoch, over successful runs
  double seconds_per_epoch = 0;          // mean over every epoch of the successful runs
  std::vector<mean_std> val_accuracy_curve, val_loss_curve;  // per epoch, over successful runs
  std::optional<reference_result> seed_lab;  // where the seed lab's report is legible
};

/// One summary per config present in `records`, ordered by (cell, layers, hidden).
std::vector<config_summary> summarize(const std::vector<run_record>& records);

}  // namespace notmnist
