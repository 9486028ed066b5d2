#pragma once
// A fresh folder under the system temp dir, removed with everything in it at scope exit.
#include <filesystem>
#include <string>

namespace notmnist::testing {

class temp_dir {
 public:
  explicit temp_dir(const std::string& prefix);
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace notmnist::testing
