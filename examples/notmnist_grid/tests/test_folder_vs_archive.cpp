// The same data read from the archive and from its unpacked folder tree gives identical tensors.
#include "data/dataset.hpp"
#include "real_data.hpp"
#include "grid/subprocess.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <cstring>

namespace notmnist {

TEST_SUITE("folder_vs_archive") {
TEST_CASE("the unpacked folder and the archive give identical classes, files, labels and pixels") {
  const auto archive = testing::real_archive();
  testing::temp_dir dir("notmnist-unpacked");
  const auto tar = run_process({"tar", "-xzf", archive.string(), "-C", dir.path().string()});
  REQUIRE_MESSAGE(tar.exit_code == 0, tar.output);

  const dataset from_archive = load_dataset(archive);
  const dataset from_folder = load_dataset(dir.path() / "notMNIST_small");
  CHECK(from_folder.size() == 18724);
  CHECK(from_folder.classes == from_archive.classes);
  CHECK(from_folder.files == from_archive.files);
  CHECK(from_folder.labels == from_archive.labels);
  REQUIRE(from_folder.pixels.size() == from_archive.pixels.size());
  CHECK(std::memcmp(from_folder.pixels.data(), from_archive.pixels.data(), from_folder.pixels.size() * sizeof(float)) == 0);
  REQUIRE(from_folder.skipped.size() == from_archive.skipped.size());
  for (std::size_t i = 0; i < from_folder.skipped.size(); ++i) {
    // The archive names entries, the folder names files: same tail, same reason.
    CHECK(from_folder.skipped[i].path.ends_with(from_archive.skipped[i].path));
    CHECK(from_folder.skipped[i].reason == from_archive.skipped[i].reason);
  }
}
}

}  // namespace notmnist
