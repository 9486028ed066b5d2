#pragma once
// The output folder, checked before the data loads: a typo in --out should cost nothing, and
// should not surface as a raw filesystem error after the load or the first run.
#include <filesystem>
#include <string_view>

namespace notmnist {

/// Creates `folder` and its parents when missing and checks that a file can be created in it.
/// Throws std::runtime_error naming `flag` and the path, and saying what is wrong.
void require_writable_folder(const std::filesystem::path& folder, std::string_view flag);

}  // namespace notmnist
