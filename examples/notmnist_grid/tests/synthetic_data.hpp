#pragma once
// A small, learnable 10-class dataset of 28x28 PNGs (class c: a bright bar at row 2c + 4 on
// seeded noise), so that grid tests run in seconds instead of minutes.
#include <filesystem>

namespace notmnist::testing {

void write_synthetic_dataset(const std::filesystem::path& root, int per_class);

}  // namespace notmnist::testing
