#include "commands.hpp"

#include "merge.hpp"

#include <iostream>

namespace notmnist {

int merge_command(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& out) {
  merge_outputs(inputs, out, std::cout);
  return exit_ok;
}

}  // namespace notmnist
