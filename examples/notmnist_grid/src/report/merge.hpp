#pragma once
// Merging shard outputs: the union of their runs, checked for agreement.
#include <filesystem>
#include <ostream>
#include <vector>

namespace notmnist {

/// Copies the runs of every input folder (and any already in `out`) into `out`, with the data
/// description, then writes the reports, as an unsharded grid would. Inputs must share data and
/// protocol, and a run found in several inputs must have the same history in each; otherwise
/// throws std::runtime_error naming the folders. Returns false when the plots could not be drawn.
bool merge_outputs(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& out, std::ostream& log);

}  // namespace notmnist
