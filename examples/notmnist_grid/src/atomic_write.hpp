#pragma once
// Whole-file writes that a crash or kill -9 cannot leave half done: temp file, fsync, rename.
#include <filesystem>
#include <string_view>

namespace notmnist {

/// Suffix of in-progress temp files; readers of an output folder ignore such files.
inline constexpr std::string_view temp_suffix = ".partial";

/// Replaces `path` with `content` atomically; creates missing parent folders. Throws
/// std::runtime_error naming the path on failure.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace notmnist
