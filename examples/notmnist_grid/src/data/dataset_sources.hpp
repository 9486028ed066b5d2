#pragma once
// Where PNG files come from: a folder tree or an archive, behind one callback interface. Only
// files named *.png (any case) inside a folder are passed on; everything else is ignored.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace notmnist {

/// Files larger than this are skipped unread: no PNG of an accepted size needs more.
inline constexpr std::uintmax_t max_png_file_bytes = 64u << 20;

struct source_file {
  std::string path;        // as found, for messages
  std::string class_name;  // the folder the file sits in
  std::string file_name;
  std::vector<std::uint8_t> bytes;
  std::string read_error;  // non-empty when the bytes could not be read
};

using source_visitor = std::function<void(source_file&&)>;

/// PATH/<class>/*.png: every subfolder of PATH is a candidate class folder.
void read_folder_tree(const std::filesystem::path& root, const source_visitor& visit);

/// Every *.png entry of a tar or zip archive (plain, gzip, bzip2, xz or zstd); its class is the
/// name of the folder that holds it. Throws dataset_error naming the archive when it is damaged.
void read_archive(const std::filesystem::path& archive, const source_visitor& visit);

/// The same from bytes in memory; `name` stands for the archive in messages.
void read_archive_bytes(std::span<const std::uint8_t> bytes, const std::string& name, const source_visitor& visit);

bool is_png_name(const std::filesystem::path& name);

}  // namespace notmnist
