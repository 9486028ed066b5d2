#pragma once
// What an output folder's runs were trained on, kept in OUT/dataset.json: the source, counts,
// split and the files skipped as unreadable. Reports cite it; resume and merge check it.
#include "data/dataset.hpp"
#include "data/split.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace notmnist {

struct dataset_info {
  std::string source;
  std::vector<std::string> classes;
  std::size_t images = 0, train = 0, validation = 0;
  std::uint64_t split_seed = 0;
  std::vector<skipped_file> skipped;

  /// Same data and split (the source path may differ: the same archive can move).
  bool same_data(const dataset_info& other) const;
  std::string describe() const;  // one line for reports
};

dataset_info describe_dataset(const dataset& data, const data_split& split, std::uint64_t split_seed);

nlohmann::json to_json(const dataset_info& info);
dataset_info dataset_info_from_json(const nlohmann::json& j);

std::filesystem::path dataset_info_file(const std::filesystem::path& out);
void save_dataset_info(const std::filesystem::path& out, const dataset_info& info);  // atomic
/// Throws std::runtime_error naming the file when it is missing or malformed.
dataset_info load_dataset_info(const std::filesystem::path& out);

}  // namespace notmnist
