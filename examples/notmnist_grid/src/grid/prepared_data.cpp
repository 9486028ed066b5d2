#include "grid/prepared_data.hpp"

#include "data/dataset.hpp"
#include "grid/model_table.hpp"

#include <chrono>
#include <iomanip>

namespace notmnist {

prepared_data prepare_data(const std::optional<std::filesystem::path>& given, std::uint64_t split_seed, std::ostream& log) {
  const auto path = find_dataset(given);
  const auto start = std::chrono::steady_clock::now();
  prepared_data p;
  p.data = load_dataset(path);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (p.data.classes.size() > std::size_t(model_classes))
    throw dataset_error(path.string() + ": " + std::to_string(p.data.classes.size()) + " class folders, but the models have " +
                        std::to_string(model_classes) + " outputs");
  p.split = split_80_20(p.data.size(), split_seed);
  p.info = describe_dataset(p.data, p.split, split_seed);
  log << "data: " << p.info.describe() << "; loaded in " << std::fixed << std::setprecision(2) << seconds << " s"
      << std::defaultfloat << "\n";
  if (!p.data.skipped.empty()) {
    log << "warning: " << p.data.skipped.size() << " unreadable file(s) skipped:\n";
    for (const auto& s : p.data.skipped) log << "  " << s.path << ": " << s.reason << "\n";
  }
  return p;
}

}  // namespace notmnist
