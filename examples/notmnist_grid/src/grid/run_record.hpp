#pragma once
// The result of one grid run (one config, one seed): its Keras-style history, or why it failed.
#include "grid/grid_config.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <string>
#include <string_view>
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

/// The layout of a run file. Files written before the field existed have the same layout and
/// count as version 1; any other version is refused, never guessed at. "dropout" and
/// "recurrent_dropout" are optional members of version 1: written only when not 0, read as 0
/// when absent, so that the seed protocol's files are those written before dropout existed.
inline constexpr int run_record_format_version = 1;

nlohmann::json to_json(const run_record& r);

/// Adds "dropout" and "recurrent_dropout" to `j` (a run file, a histories file's "protocol"),
/// each only when not 0.
void add_dropout_rates(nlohmann::json& j, const training_protocol& p);

/// Throws std::runtime_error saying what is wrong when `j` is not a record this program writes:
/// a missing or mistyped field, another format version, a value out of range, or a history that
/// disagrees with the record's epochs and status.
run_record run_record_from_json(const nlohmann::json& j);

/// A run file's text -> its record; throws as run_record_from_json (and on malformed JSON).
run_record read_run_record(std::string_view text);

/// {"loss": [...], ..., "seconds_per_epoch": [...]}; NaN and infinities as json_real.hpp writes them.
nlohmann::json history_json(const history& h);

}  // namespace notmnist
