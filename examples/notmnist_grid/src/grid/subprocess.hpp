#pragma once
// Runs a program in a given folder and captures what it prints, without a shell (no quoting
// problems with paths).
#include <filesystem>
#include <string>
#include <vector>

namespace notmnist {

struct process_result {
  int exit_code = -1;  // 127 when the program could not be started; 128 + N when killed by signal N
  std::string output;  // stdout and stderr together
};

process_result run_process(const std::vector<std::string>& argv, const std::filesystem::path& cwd = {});

}  // namespace notmnist
