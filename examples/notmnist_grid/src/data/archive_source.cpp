#include "data/dataset.hpp"
#include "data/dataset_sources.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace notmnist {
namespace fs = std::filesystem;

namespace {

using archive_ptr = std::unique_ptr<archive, decltype(&archive_read_free)>;

std::string archive_failure(const std::string& name, archive* a, const std::string& what) {
  const char* detail = archive_error_string(a);
  return name + ": " + what + (detail ? std::string(": ") + detail : std::string());
}

// Tar and zip, compressed by the built-in decoders only. Not format_all/filter_all: their mtree
// reader opens files named inside the archive from the local disk, and some of their filters run
// external programs (lrzip, lzop, grzip); neither belongs in reading untrusted bytes.
archive_ptr new_reader() {
  archive_ptr a(archive_read_new(), &archive_read_free);
  if (!a) throw dataset_error("out of memory creating the archive reader");
  archive_read_support_format_tar(a.get());
  archive_read_support_format_zip(a.get());
  archive_read_support_filter_gzip(a.get());
  archive_read_support_filter_bzip2(a.get());
  archive_read_support_filter_xz(a.get());
  archive_read_support_filter_zstd(a.get());
  return a;
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

// Every *.png entry inside a folder, from an archive already opened; `name` is for messages.
void read_entries(archive* a, const std::string& name, const source_visitor& visit) {
  archive_entry* entry = nullptr;
  int rc;
  while ((rc = archive_read_next_header(a, &entry)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
    const char* entry_name = archive_entry_pathname(entry);
    if (!entry_name || archive_entry_filetype(entry) != AE_IFREG) continue;
    const fs::path entry_path = entry_name;
    if (is_png_name(entry_path) && entry_path.has_parent_path()) visit(read_entry(a, entry_path));
  }
  if (rc != ARCHIVE_EOF) throw dataset_error(archive_failure(name, a, "archive is damaged"));
}

}  // namespace

void read_archive(const fs::path& path, const source_visitor& visit) {
  archive_ptr a = new_reader();
  if (archive_read_open_filename(a.get(), path.c_str(), 1 << 16) != ARCHIVE_OK)
    throw dataset_error(archive_failure(path.generic_string(), a.get(), "cannot open as an archive"));
  read_entries(a.get(), path.generic_string(), visit);
}

void read_archive_bytes(std::span<const std::uint8_t> bytes, const std::string& name, const source_visitor& visit) {
  archive_ptr a = new_reader();
  if (archive_read_open_memory(a.get(), bytes.data(), bytes.size()) != ARCHIVE_OK)
    throw dataset_error(archive_failure(name, a.get(), "cannot open as an archive"));
  read_entries(a.get(), name, visit);
}

}  // namespace notmnist
