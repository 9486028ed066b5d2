#pragma once
// Whole-file writes that a crash or kill -9 cannot leave half done: write a temp file beside the
// target, fsync it, rename it over the target, fsync the folder (so the rename itself survives a
// power cut). Readers see the old file or the complete new one, never a mix. POSIX only.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

namespace rnncell::detail {

/// Suffix of in-progress temp files; readers of an output folder may ignore such files.
inline constexpr std::string_view atomic_write_temp_suffix = ".partial";

[[noreturn]] inline void throw_file_error(const std::filesystem::path& path, const char* what, int error) {
  throw std::runtime_error("'" + path.string() + "': " + what + ": " + std::strerror(error));
}

/// Replaces `path` with `content` atomically and durably; creates missing parent folders.
/// Throws std::runtime_error naming the file on failure, and leaves no temp file behind.
inline void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  namespace fs = std::filesystem;
  const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::error_code made;
  fs::create_directories(folder, made);
  if (made) throw_file_error(folder, "cannot create the folder", made.value());
  // Unique per process and thread: concurrent writers (jobs, shards on a shared disk) never share one.
  const fs::path temp = path.string() + "." + std::to_string(::getpid()) + "-" +
                        std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id())) +
                        std::string(atomic_write_temp_suffix);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw_file_error(temp, "cannot create", errno);
  const auto give_up = [&](const fs::path& which, const char* what) {
    const int error = errno;
    ::unlink(temp.c_str());
    throw_file_error(which, what, error);
  };
  for (std::size_t done = 0; done < content.size();) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      give_up(temp, "cannot write");
    }
    done += std::size_t(n);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    give_up(temp, "cannot flush to disk");
  }
  if (::close(fd) != 0) give_up(temp, "cannot close");
  if (::rename(temp.c_str(), path.c_str()) != 0) give_up(path, "cannot rename the finished temp file into place");
  // The rename is durable once the folder's entry is on disk. A folder that cannot be opened or
  // synced (some network file systems) still holds the complete file: not an error.
  const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

}  // namespace rnncell::detail
