#include "data/bilinear_resize.hpp"
#include "data/dataset.hpp"
#include "data/dataset_sources.hpp"
#include "data/png_decode.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <system_error>
#include <tuple>

namespace notmnist {
namespace fs = std::filesystem;

namespace {

struct decoded_file {
  std::string class_name, file_name, path;
  std::vector<float> pixels;  // 28 x 28 in [0, 1]
};

// Keras' Rescaling(1/255) multiplies by the float constant; so do we, for identical values.
constexpr float pixel_scale = 1.0f / 255.0f;

struct collector {
  std::set<std::string> classes;
  std::vector<decoded_file> images;
  std::vector<skipped_file> skipped;

  void operator()(source_file&& file) {
    classes.insert(file.class_name);
    if (!file.read_error.empty()) return skip(file, file.read_error);
    decoded_png png = decode_png_gray(file.bytes);
    if (!png.image) return skip(file, png.error);
    decoded_file out{file.class_name, file.file_name, file.path, std::vector<float>(image_pixels)};
    resize_bilinear(*png.image, image_side, image_side, out.pixels);
    for (float& v : out.pixels) v *= pixel_scale;
    images.push_back(std::move(out));
  }
  void skip(const source_file& file, const std::string& reason) { skipped.push_back({file.path, reason}); }
};

dataset assemble(const fs::path& path, collector&& found) {
  if (found.classes.empty())
    throw dataset_error(path.generic_string() + ": no class folders with .png files (expected " +
                        path.generic_string() + "/<class>/*.png, or an archive of such folders)");
  if (found.images.empty())
    throw dataset_error(path.generic_string() + ": empty dataset: none of its " + std::to_string(found.skipped.size()) +
                        " .png files could be read");
  std::sort(found.images.begin(), found.images.end(), [](const decoded_file& a, const decoded_file& b) {
    return std::tie(a.class_name, a.file_name, a.path) < std::tie(b.class_name, b.file_name, b.path);
  });
  std::sort(found.skipped.begin(), found.skipped.end(),
            [](const skipped_file& a, const skipped_file& b) { return a.path < b.path; });

  dataset out;
  out.source = path.generic_string();
  out.classes.assign(found.classes.begin(), found.classes.end());
  std::map<std::string, int> label_of;
  for (std::size_t i = 0; i < out.classes.size(); ++i) label_of[out.classes[i]] = int(i);
  out.pixels.reserve(found.images.size() * image_pixels);
  for (const auto& image : found.images) {
    out.files.push_back(image.class_name + "/" + image.file_name);
    out.labels.push_back(label_of.at(image.class_name));
    out.pixels.insert(out.pixels.end(), image.pixels.begin(), image.pixels.end());
  }
  out.skipped = std::move(found.skipped);
  return out;
}

std::optional<fs::path> dataset_in(const fs::path& folder) {
  for (const char* name : {"notMNIST_small", "notMNIST_small.tar.gz"})
    if (fs::exists(folder / name)) return folder / name;
  return std::nullopt;
}

}  // namespace

dataset load_dataset(const fs::path& path) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (!fs::exists(status)) throw dataset_error(path.generic_string() + ": no such file or folder");
  collector found;
  if (fs::is_directory(status))
    read_folder_tree(path, std::ref(found));
  else
    read_archive(path, std::ref(found));
  return assemble(path, std::move(found));
}

fs::path find_dataset(const std::optional<fs::path>& given) {
  if (given) {
    if (!fs::exists(*given)) throw dataset_error(given->string() + ": no such file or folder (from --data)");
    return fs::is_directory(*given) ? dataset_in(*given).value_or(*given) : *given;
  }
  const fs::path places[] = {"data", fs::path("..") / "shared" / "data"};
  std::string looked;
  for (const auto& place : places) {
    if (auto found = dataset_in(place)) return *found;
    looked += ' ';
    looked += (place / "notMNIST_small{,.tar.gz}").string();
  }
  throw dataset_error("no dataset found; looked for" + looked +
                      ". Pass --data PATH, or download it with scripts/download_notmnist.sh");
}

}  // namespace notmnist
