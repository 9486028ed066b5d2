#pragma once
// The program's commands, each returning its exit code. main.cpp only parses the command line.
#include "grid/grid_config.hpp"

#include <filesystem>
#include <optional>
#include <vector>

namespace notmnist {

/// 0: all runs finished; 1: some runs failed (NaN/Inf) or errored; 2: bad usage or data;
/// 130: stopped by Ctrl-C / SIGTERM (finished runs are kept; rerun to resume).
enum exit_code : int { exit_ok = 0, exit_runs_failed = 1, exit_bad_input = 2, exit_interrupted = 130 };

struct grid_options {
  std::optional<std::filesystem::path> data;
  grid_spec spec;
  training_protocol protocol;
  std::filesystem::path out = "notmnist_grid_out";
  int jobs = 1;
  shard share;
  bool live_bar = false;
};

int grid_command(const grid_options& options);
int merge_command(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& out);
/// Loads and describes the data; `batch` only for the check that one batch of training images exists.
int data_command(const std::optional<std::filesystem::path>& data, std::uint64_t split_seed, int batch);

}  // namespace notmnist
