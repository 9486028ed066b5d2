#pragma once
// Whole files read into memory for the parsers of untrusted bytes (checkpoints, tensor files).
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>

namespace rnncell::detail {

/// 'path', quoted, for error messages.
inline std::string quoted(const std::filesystem::path& path) {
  std::string text = "'";  // appended, not "'" + ... + "'": that trips GCC 12's -Wrestrict (bug 105329)
  text += path.string();
  return text += "'";
}

/// The file's bytes: as many as the file holds, so what a load allocates stays in proportion to the
/// file's size whatever its contents declare. Refuses what is not a regular file (a folder, a FIFO
/// that would block, a device that never ends). `what` names the kind of file in the messages
/// ("checkpoint", "tensor file").
inline std::string read_whole_file(const std::filesystem::path& path, const std::string& what) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (error || !std::filesystem::exists(status))
    throw std::runtime_error("rnncell: cannot open " + what + " " + quoted(path) + ": no such file");
  if (!std::filesystem::is_regular_file(status))
    throw std::runtime_error("rnncell: " + what + " " + quoted(path) + " is not a regular file");
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw std::runtime_error("rnncell: cannot open " + what + " " + quoted(path));
  const std::streamoff size = in.tellg();
  if (size < 0) throw std::runtime_error("rnncell: error reading " + what + " " + quoted(path));
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  in.read(bytes.data(), size);
  if (in.gcount() != size || in.peek() != std::ifstream::traits_type::eof())
    throw std::runtime_error("rnncell: " + what + " " + quoted(path) + " changed size while being read");
  return bytes;
}

}  // namespace rnncell::detail
