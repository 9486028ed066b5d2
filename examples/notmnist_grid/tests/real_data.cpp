#include "real_data.hpp"

#include <doctest/doctest.h>

namespace notmnist::testing {

std::filesystem::path real_archive() {
  const std::filesystem::path archive = std::filesystem::path(NOTMNIST_SHARED_DATA) / "notMNIST_small.tar.gz";
  if (!std::filesystem::exists(archive))
    FAIL("the real dataset is missing: expected " << archive.string()
                                                  << " (../shared/data next to the repository; see its README)");
  return archive;
}

}  // namespace notmnist::testing
