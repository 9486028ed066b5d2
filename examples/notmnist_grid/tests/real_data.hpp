#pragma once
// Where the tests find the real notMNIST_small copy: ../shared/data next to the repository
// (CMake passes the path). A test that needs it fails loudly when it is missing.
#include <filesystem>

namespace notmnist::testing {

/// The real archive; fails the calling test with a message naming the expected path if absent.
std::filesystem::path real_archive();

}  // namespace notmnist::testing
