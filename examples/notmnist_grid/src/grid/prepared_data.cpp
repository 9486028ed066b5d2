#include "grid/prepared_data.hpp"

#include "data/dataset.hpp"
#include "grid/model_table.hpp"

#include <chrono>
#include <iomanip>

namespace notmnist {

namespace {

// Checked here, at load time: otherwise a tiny dataset passes `data` and stops training with a
// shape error, or trains on nothing.
void require_enough_images(const prepared_data& p, int batch) {
  const std::string counts = p.data.source + ": " + std::to_string(p.data.size()) + " images split into " +
                             std::to_string(p.split.train.size()) + " for training and " +
                             std::to_string(p.split.validation.size()) + " for validation";
  if (p.split.train.empty() || p.split.validation.empty())
    throw dataset_error(counts + ": both must be non-empty, which needs at least 2 readable images");
  if (p.split.train.size() < std::size_t(batch))
    throw dataset_error(counts + ": fewer training images than one batch of " + std::to_string(batch) +
                        " (--batch); use a smaller --batch or more images");
}

}  // namespace

prepared_data prepare_data(const std::optional<std::filesystem::path>& given, std::uint64_t split_seed, int batch,
                           std::ostream& log) {
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
  require_enough_images(p, batch);
  return p;
}

}  // namespace notmnist
