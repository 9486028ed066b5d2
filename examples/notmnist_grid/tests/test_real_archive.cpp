// The loader on the real notMNIST_small archive, checked against ../shared/data/README.md.
#include "data/dataset.hpp"
#include "real_data.hpp"
#include "data/split.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

namespace notmnist {

TEST_SUITE("real_data") {
TEST_CASE("the real archive loads 18,724 images and names exactly the two 0-byte files") {
  const auto start = std::chrono::steady_clock::now();
  const dataset data = load_dataset(testing::real_archive());
  MESSAGE("archive loaded in " << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() << " s");

  CHECK(data.size() == 18724);
  CHECK(data.pixels.size() == 18724 * image_pixels);
  CHECK(data.classes == std::vector<std::string>{"A", "B", "C", "D", "E", "F", "G", "H", "I", "J"});

  REQUIRE(data.skipped.size() == 2);
  CHECK(data.skipped[0].path == "notMNIST_small/A/RGVtb2NyYXRpY2FCb2xkT2xkc3R5bGUgQm9sZC50dGY=.png");
  CHECK(data.skipped[1].path == "notMNIST_small/F/Q3Jvc3NvdmVyIEJvbGRPYmxpcXVlLnR0Zg==.png");
  for (const auto& s : data.skipped) CHECK(s.reason == "empty file (0 bytes)");

  // README: A-F have 1873 files, G-J 1872; A and F each lose their 0-byte file.
  std::map<int, int> per_class;
  for (int label : data.labels) ++per_class[label];
  const std::map<int, int> expected{{0, 1872}, {1, 1873}, {2, 1873}, {3, 1873}, {4, 1873},
                                    {5, 1872}, {6, 1872}, {7, 1872}, {8, 1872}, {9, 1872}};
  CHECK(per_class == expected);

  CHECK(std::all_of(data.pixels.begin(), data.pixels.end(), [](float v) { return v >= 0.0f && v <= 1.0f; }));
  CHECK(std::any_of(data.pixels.begin(), data.pixels.end(), [](float v) { return v == 1.0f; }));
}

TEST_CASE("the 80/20 split of 18,724 images is 14,979 / 3,745, disjoint and fixed by its seed") {
  const data_split split = split_80_20(18724, 0);
  CHECK(split.train.size() == 14979);
  CHECK(split.validation.size() == 3745);
  std::set<std::uint32_t> all(split.train.begin(), split.train.end());
  all.insert(split.validation.begin(), split.validation.end());
  CHECK(all.size() == 18724);
  CHECK(*all.rbegin() == 18723);
  CHECK(split_80_20(18724, 0).train == split.train);
  CHECK(split_80_20(18724, 1).train != split.train);
}
}

}  // namespace notmnist
