#pragma once
// Finding, loading and splitting the dataset, with what the user should see about it: counts,
// load time, and the one warning list of unreadable files.
#include "data/dataset.hpp"
#include "grid/dataset_info.hpp"
#include "data/split.hpp"

#include <filesystem>
#include <optional>
#include <ostream>

namespace notmnist {

struct prepared_data {
  dataset data;
  data_split split;
  dataset_info info;
};

/// Throws dataset_error (missing, empty, unreadable, more classes than the model's 10 outputs, or
/// too few images for a non-empty validation set and a training set of at least one batch).
prepared_data prepare_data(const std::optional<std::filesystem::path>& given, std::uint64_t split_seed, int batch,
                           std::ostream& log);

}  // namespace notmnist
