#include "grid/dataset_info.hpp"

#include <rnncell/detail/atomic_write.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <stdexcept>

namespace notmnist {
namespace fs = std::filesystem;

bool dataset_info::same_data(const dataset_info& o) const {
  auto paths = [](const std::vector<skipped_file>& s) {
    std::vector<std::string> p;
    for (const auto& f : s) p.push_back(fs::path(f.path).filename().string());
    return p;
  };
  return classes == o.classes && images == o.images && train == o.train && validation == o.validation &&
         split_seed == o.split_seed && paths(skipped) == paths(o.skipped);
}

std::string dataset_info::describe() const {
  return source + ": " + std::to_string(images) + " images in " + std::to_string(classes.size()) + " classes (" +
         std::to_string(skipped.size()) + " unreadable files skipped); train " + std::to_string(train) +
         ", validation " + std::to_string(validation) + " (split seed " + std::to_string(split_seed) + ")";
}

dataset_info describe_dataset(const dataset& data, const data_split& split, std::uint64_t split_seed) {
  return {data.source, data.classes, data.size(), split.train.size(), split.validation.size(), split_seed, data.skipped};
}

nlohmann::json to_json(const dataset_info& info) {
  nlohmann::json skipped = nlohmann::json::array();
  for (const auto& s : info.skipped) skipped.push_back({{"path", s.path}, {"reason", s.reason}});
  return {{"source", info.source},     {"classes", info.classes},       {"images", info.images},
          {"train", info.train},       {"validation", info.validation}, {"split_seed", info.split_seed},
          {"skipped_files", skipped}};
}

dataset_info dataset_info_from_json(const nlohmann::json& j) {
  dataset_info info;
  j.at("source").get_to(info.source);
  j.at("classes").get_to(info.classes);
  j.at("images").get_to(info.images);
  j.at("train").get_to(info.train);
  j.at("validation").get_to(info.validation);
  j.at("split_seed").get_to(info.split_seed);
  for (const auto& s : j.at("skipped_files")) info.skipped.push_back({s.at("path"), s.at("reason")});
  return info;
}

fs::path dataset_info_file(const fs::path& out) { return out / "dataset.json"; }

void save_dataset_info(const fs::path& out, const dataset_info& info) {
  rnncell::detail::write_file_atomically(dataset_info_file(out), to_json(info).dump(1) + "\n");
}

dataset_info load_dataset_info(const fs::path& out) {
  const fs::path file = dataset_info_file(out);
  std::ifstream in(file);
  if (!in) throw std::runtime_error(file.string() + ": missing (is " + out.string() + " a grid output folder?)");
  try {
    return dataset_info_from_json(nlohmann::json::parse(in));
  } catch (const std::exception& e) {
    throw std::runtime_error(file.string() + ": malformed: " + e.what());
  }
}

}  // namespace notmnist
