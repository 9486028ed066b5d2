#include "grid/output_folder.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace notmnist {
namespace fs = std::filesystem;

void require_writable_folder(const fs::path& folder, std::string_view flag) {
  const std::string name = std::string(flag) + " '" + folder.string() + "'";
  std::error_code ec;
  if (fs::exists(folder, ec) && !fs::is_directory(folder, ec))
    throw std::runtime_error(name + " exists and is not a folder");
  fs::create_directories(folder, ec);
  if (ec) throw std::runtime_error(name + ": cannot create the folder: " + ec.message());
  // Permission bits do not tell the whole story (read-only mounts, ACLs, root): try it.
  std::string probe = (folder / ".write-test-XXXXXX").string();
  const int fd = ::mkstemp(probe.data());
  if (fd < 0) throw std::runtime_error(name + ": cannot write in the folder: " + std::strerror(errno));
  ::close(fd);
  ::unlink(probe.c_str());
}

}  // namespace notmnist
