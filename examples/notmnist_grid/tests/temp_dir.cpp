#include "temp_dir.hpp"

#include <stdexcept>
#include <stdlib.h>

namespace notmnist::testing {

temp_dir::temp_dir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temp folder from " + pattern);
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ignored;  // a destructor must not throw; a leftover temp folder is harmless
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace notmnist::testing
