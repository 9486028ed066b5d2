#pragma once
// histories_GRU.json / histories_MGU.json: per config, per seed, the Keras History keys per epoch
// (loss, accuracy, val_loss, val_accuracy) plus seconds per epoch, seed, parameter count, status;
// the protocol (dropout rates only when not 0); and the data's skipped files.
#include "grid/dataset_info.hpp"
#include "grid/run_record.hpp"

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <vector>

namespace notmnist {

/// The histories of one cell's runs.
nlohmann::json histories_json(cell_kind cell, const std::vector<run_record>& records, const dataset_info& data);

/// Writes OUT/histories_<CELL>.json for each cell that has runs; returns the files written.
std::vector<std::filesystem::path> write_histories(const std::filesystem::path& out, const std::vector<run_record>& records,
                                                   const dataset_info& data);

}  // namespace notmnist
