#include "data/dataset.hpp"
#include "data/dataset_sources.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace notmnist {
namespace fs = std::filesystem;

namespace {

using archive_ptr = std::unique_ptr<archive, decltype(&archive_read_free)>;

std::string archive_failure(const fs::path& path, archive* a, const std::string& what) {
  const char* detail = archive_error_string(a);
  return path.generic_string() + ": " + what + (detail ? std::string(": ") + detail : std::string());
}

// Reads in chunks rather than trusting the header's size field, which may be unset or wrong.
source_file read_entry(archive* a, const fs::path& entry_path) {
  source_file out{entry_path.generic_string(), entry_path.parent_path().filename().string(),
                  entry_path.filename().string(), {}, {}};
  std::uint8_t chunk[1 << 16];
  for (;;) {
    const la_ssize_t got = archive_read_data(a, chunk, sizeof chunk);
    if (got == 0) return out;
    if (got < 0) {
      out.read_error = std::string("cannot read entry: ") + (archive_error_string(a) ? archive_error_string(a) : "unknown error");
      return out;
    }
    if (out.bytes.size() + std::size_t(got) > max_png_file_bytes) {
      out.read_error = "entry is larger than the " + std::to_string(max_png_file_bytes) + "-byte limit";
      out.bytes.clear();
      return out;
    }
    out.bytes.insert(out.bytes.end(), chunk, chunk + got);
  }
}

}  // namespace

void read_archive(const fs::path& path, const source_visitor& visit) {
  archive_ptr a(archive_read_new(), &archive_read_free);
  archive_read_support_filter_all(a.get());
  archive_read_support_format_all(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), 1 << 16) != ARCHIVE_OK)
    throw dataset_error(archive_failure(path, a.get(), "cannot open as an archive"));
  archive_entry* entry = nullptr;
  int rc;
  while ((rc = archive_read_next_header(a.get(), &entry)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
    const char* name = archive_entry_pathname(entry);
    if (!name || archive_entry_filetype(entry) != AE_IFREG) continue;
    const fs::path entry_path = name;
    if (is_png_name(entry_path) && entry_path.has_parent_path()) visit(read_entry(a.get(), entry_path));
  }
  if (rc != ARCHIVE_EOF) throw dataset_error(archive_failure(path, a.get(), "archive is damaged"));
}

}  // namespace notmnist
