#pragma once
// Runs the built notmnist_grid program (CMake passes its path) and captures what it prints.
#include "grid/subprocess.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace notmnist::testing {

process_result run_grid_program(const std::vector<std::string>& args, const std::filesystem::path& cwd = {});

/// Starts the program in the background, its output going to `log`; returns its process id.
int start_grid_program(const std::vector<std::string>& args, const std::filesystem::path& log);

}  // namespace notmnist::testing
