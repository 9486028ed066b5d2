#pragma once
// The loaded dataset: every readable image as 28x28 floats in [0, 1], its label, and the files
// that could not be read; and where to find it when no path is given.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace notmnist {

inline constexpr std::size_t image_side = 28;  // rows = timesteps, columns = features
inline constexpr std::size_t image_pixels = image_side * image_side;

/// A missing path, no class folders, an unreadable archive or an empty dataset.
struct dataset_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct skipped_file {
  std::string path;    // as found: archive entry name or file path
  std::string reason;  // why it could not be used
};

struct dataset {
  std::string source;                // the path it was read from
  std::vector<std::string> classes;  // sorted class folder names; label i is classes[i]
  std::vector<std::string> files;    // per image, "<class>/<file name>"
  std::vector<int> labels;           // per image
  std::vector<float> pixels;         // images x 28 x 28, row-major
  std::vector<skipped_file> skipped;

  std::size_t size() const { return labels.size(); }
  std::span<const float> image(std::size_t i) const {
    return std::span<const float>(pixels).subspan(i * image_pixels, image_pixels);
  }
};

/// Reads a folder tree (PATH/<class>/*.png) or a tar or zip archive of one (plain, gzip, bzip2, xz
/// or zstd), without unpacking it. Images are ordered by (class, file name) whatever the source.
/// Throws dataset_error naming the path when nothing usable is there.
dataset load_dataset(const std::filesystem::path& path);

/// Where the dataset is: `given` (--data), then ./data/, then ../shared/data/. In a folder,
/// notMNIST_small/ (unpacked) is preferred to notMNIST_small.tar.gz; an explicit --data may also
/// name the class-folder tree or the archive itself. Throws dataset_error listing every place it
/// looked when nothing is found.
std::filesystem::path find_dataset(const std::optional<std::filesystem::path>& given);

}  // namespace notmnist
