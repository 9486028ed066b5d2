#pragma once
// Everything written from an output folder's runs: histories JSON, results.md / .csv, plots.
// A grid, a resumed grid and a merge of shards all end here, so they produce the same files.
#include "grid/dataset_info.hpp"
#include "grid/run_record.hpp"

#include <filesystem>
#include <map>
#include <ostream>

namespace notmnist {

/// Returns false when the plots could not be drawn (said on `log`); the other files are written.
bool write_reports(const std::filesystem::path& out, const std::map<run_id, run_record>& runs, const dataset_info& data,
                   std::ostream& log);

}  // namespace notmnist
