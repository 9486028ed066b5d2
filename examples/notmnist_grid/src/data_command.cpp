#include "commands.hpp"

#include "prepared_data.hpp"

#include <iostream>
#include <map>

namespace notmnist {

int data_command(const std::optional<std::filesystem::path>& data, std::uint64_t split_seed) {
  const prepared_data p = prepare_data(data, split_seed, std::cout);
  std::map<int, std::size_t> per_class;
  for (int label : p.data.labels) ++per_class[label];
  for (std::size_t c = 0; c < p.data.classes.size(); ++c)
    std::cout << "  class " << p.data.classes[c] << ": " << per_class[int(c)] << " images\n";
  return exit_ok;
}

}  // namespace notmnist
