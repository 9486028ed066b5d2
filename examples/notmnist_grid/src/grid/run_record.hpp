#pragma once
// The result of one grid run (one config, one seed): its Keras-style history, or why it failed.
#include "grid/grid_config.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace notmnist {

/// Per epoch, the four keys of a Keras History, and how long the epoch took.
struct history {
  std::vector<double> loss, accuracy, val_loss, val_accuracy, seconds;
  std::size_t epochs() const { return loss.size(); }
};

struct run_record {
  run_id id;
  training_protocol protocol;
  std::size_t parameter_count = 0;
  history hist;
  bool failed = false;     // a NaN/Inf loss stopped the run
  int failed_epoch = 0;    // 1-based epoch in which it happened
  std::string failure;     // what happened
};

nlohmann::json to_json(const run_record& r);
run_record run_record_from_json(const nlohmann::json& j);  // throws on a malformed record

nlohmann::json history_json(const history& h);  // {"loss": [...], ..., "seconds_per_epoch": [...]}

}  // namespace notmnist
