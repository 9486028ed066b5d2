#include "data/dataset.hpp"
#include "data/dataset_sources.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <system_error>

namespace notmnist {
namespace fs = std::filesystem;

bool is_png_name(const fs::path& name) {
  std::string ext = name.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return ext == ".png";
}

namespace {

source_file read_file(const fs::path& file, const std::string& class_name) {
  source_file out{file.generic_string(), class_name, file.filename().string(), {}, {}};
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (ec) {
    out.read_error = "cannot read: " + ec.message();
  } else if (size > max_png_file_bytes) {
    out.read_error = "file is " + std::to_string(size) + " bytes, above the " + std::to_string(max_png_file_bytes) + "-byte limit";
  } else {
    std::ifstream in(file, std::ios::binary);
    out.bytes.resize(size);
    if (!in.read(reinterpret_cast<char*>(out.bytes.data()), std::streamsize(size)))
      out.read_error = "cannot read all " + std::to_string(size) + " bytes";
  }
  return out;
}

}  // namespace

void read_folder_tree(const fs::path& root, const source_visitor& visit) {
  std::error_code ec;
  for (fs::directory_iterator dir(root, ec), end; !ec && dir != end; dir.increment(ec)) {
    if (!dir->is_directory()) continue;
    const std::string class_name = dir->path().filename().string();
    std::error_code class_ec;
    for (fs::directory_iterator file(dir->path(), class_ec); !class_ec && file != end; file.increment(class_ec))
      if (file->is_regular_file() && is_png_name(file->path())) visit(read_file(file->path(), class_name));
    if (class_ec) throw dataset_error(dir->path().generic_string() + ": cannot list folder: " + class_ec.message());
  }
  if (ec) throw dataset_error(root.generic_string() + ": cannot list folder: " + ec.message());
}

}  // namespace notmnist
