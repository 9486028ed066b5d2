#pragma once
// Where the dataset is: --data, then ./data/, then ../shared/data/.
#include <filesystem>
#include <optional>

namespace notmnist {

/// In a folder, notMNIST_small/ (unpacked) is preferred to notMNIST_small.tar.gz. An explicit
/// --data may also name the class-folder tree or the archive itself. Throws dataset_error listing
/// every place it looked when nothing is found.
std::filesystem::path find_dataset(const std::optional<std::filesystem::path>& given);

}  // namespace notmnist
