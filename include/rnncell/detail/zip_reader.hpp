#pragma once
// Reads uncompressed zips as save_npz or numpy.savez write them (numpy marks every entry zip64,
// so sizes and offsets come from the central directory and its zip64 extra fields, never from
// the local headers). The bytes are untrusted: every offset and size is checked against the bytes
// present before it is used, nothing is allocated from a declared size, and entries may neither
// overlap nor share a name, so no byte is read or checksummed twice (overlapping stored entries
// are the CPU-time "zip bomb" of uncompressed archives). Compressed entries are refused by name.
#include <rnncell/detail/zip.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rnncell::detail {

/// One entry of an archive read by read_stored_zip; `data` points into the archive's bytes.
struct zip_entry {
  std::string name;
  std::string_view data;
};

struct zip_directory {
  std::uint64_t entries;
  std::uint64_t size;
  std::uint64_t offset;
};

/// Finds the central directory through the end record (searched backwards past a possible
/// comment) and, when its fields are saturated, through the zip64 end record.
inline zip_directory find_zip_directory(std::string_view archive, std::string_view where) {
  const std::size_t max_comment = 0xFFFF;
  std::size_t end = std::string_view::npos;
  if (archive.size() >= zip_end_size) {
    const std::size_t last = archive.size() - zip_end_size;
    const std::size_t first = last > max_comment ? last - max_comment : 0;
    for (std::size_t pos = last + 1; pos-- > first;)
      if (read_le(archive, pos, 4, where) == zip_end_signature &&
          pos + zip_end_size + read_le(archive, pos + 20, 2, where) == archive.size()) {
        end = pos;
        break;
      }
  }
  if (end == std::string_view::npos)
    throw std::runtime_error(std::string(where) +
                             " is not a zip archive or is truncated (no end-of-central-directory record)");

  zip_directory dir{read_le(archive, end + 10, 2, where), read_le(archive, end + 12, 4, where),
                    read_le(archive, end + 16, 4, where)};
  if (dir.entries == 0xFFFF || dir.size == zip32_max || dir.offset == zip32_max) {
    if (end < zip64_locator_size ||
        read_le(archive, end - zip64_locator_size, 4, where) != zip64_locator_signature)
      throw std::runtime_error(std::string(where) + " is corrupt (zip64 end locator missing)");
    const std::uint64_t record = read_le(archive, end - zip64_locator_size + 8, 8, where);
    if (read_le(archive, record, 4, where) != zip64_end_signature)
      throw std::runtime_error(std::string(where) + " is corrupt (zip64 end record missing)");
    // record <= archive.size() here (read_le checked it), so record + 56 cannot wrap.
    dir = {read_le(archive, record + 32, 8, where), read_le(archive, record + 40, 8, where),
           read_le(archive, record + 48, 8, where)};
  }
  if (dir.offset > archive.size() || archive.size() - dir.offset < dir.size)
    throw std::runtime_error(std::string(where) + " is truncated or corrupt (central directory outside the file)");
  if (dir.entries > dir.size / zip_central_header_size)
    throw std::runtime_error(std::string(where) + " is corrupt (the central directory declares " +
                             std::to_string(dir.entries) + " entries, its " + std::to_string(dir.size) +
                             " bytes hold at most " + std::to_string(dir.size / zip_central_header_size) + ")");
  return dir;
}

/// Replaces saturated 32-bit sizes/offset by the 64-bit values of the zip64 extra field (id 1),
/// which lists only the saturated ones, in this order (APPNOTE 4.5.3).
inline void apply_zip64_extra(std::string_view extra, std::uint64_t& size, std::uint64_t& compressed,
                              std::uint64_t& offset, std::string_view where) {
  for (std::uint64_t pos = 0; pos + 4 <= extra.size();) {
    const std::uint64_t id = read_le(extra, pos, 2, where);
    const std::uint64_t length = read_le(extra, pos + 2, 2, where);
    const std::string_view block = slice(extra, pos + 4, length, where);
    if (id == 1) {
      std::uint64_t field = 0;
      for (std::uint64_t* value : {&size, &compressed, &offset})
        if (*value == zip32_max) {
          *value = read_le(block, field, 8, where);
          field += 8;
        }
    }
    pos += 4 + length;
  }
}

/// Where an entry's local header starts and its data ends, for the overlap check.
struct zip_span {
  std::uint64_t begin, end;
  std::size_t entry;
};

/// The entries of an uncompressed zip, in central-directory order; `where` names the file in
/// error messages. Checks every entry's bounds, name, overlap with the others and CRC-32.
inline std::vector<zip_entry> read_stored_zip(std::string_view archive, std::string_view where) {
  const zip_directory dir = find_zip_directory(archive, where);
  const std::string_view central = archive.substr(dir.offset, dir.size);
  std::vector<zip_entry> entries;
  std::vector<std::uint32_t> crcs;
  std::vector<zip_span> spans;
  std::uint64_t pos = 0;
  for (std::uint64_t i = 0; i < dir.entries; ++i) {
    if (read_le(central, pos, 4, where) != zip_central_header_signature)
      throw std::runtime_error(std::string(where) + " is corrupt (bad central directory record " +
                               std::to_string(i) + ")");
    const std::uint64_t flags = read_le(central, pos + 8, 2, where);
    const std::uint64_t method = read_le(central, pos + 10, 2, where);
    const std::uint64_t crc = read_le(central, pos + 16, 4, where);
    std::uint64_t compressed = read_le(central, pos + 20, 4, where);
    std::uint64_t size = read_le(central, pos + 24, 4, where);
    const std::uint64_t name_length = read_le(central, pos + 28, 2, where);
    const std::uint64_t extra_length = read_le(central, pos + 30, 2, where);
    const std::uint64_t comment_length = read_le(central, pos + 32, 2, where);
    std::uint64_t local = read_le(central, pos + 42, 4, where);
    const std::uint64_t name_at = pos + zip_central_header_size;
    const std::string_view name = slice(central, name_at, name_length, where);
    const std::string entry = std::string(where) + ": entry " + printable_name(name);
    apply_zip64_extra(slice(central, name_at + name_length, extra_length, entry), size, compressed, local, entry);
    pos = name_at + name_length + extra_length + comment_length;

    if (flags & 1u) throw std::runtime_error(entry + " is encrypted, which is not supported");
    if (method == zip_method_deflate)
      throw std::runtime_error(entry + " is compressed (deflate, as numpy.savez_compressed writes); only "
                               "uncompressed entries can be read: save it with numpy.savez");
    if (method != zip_method_stored)
      throw std::runtime_error(entry + " uses zip compression method " + std::to_string(method) +
                               "; only uncompressed (stored) entries can be read");
    if (compressed != size)
      throw std::runtime_error(entry + " is corrupt (stored entry with different compressed and full sizes)");

    // Entries live before the central directory.
    const std::string_view body = archive.substr(0, dir.offset);
    if (read_le(body, local, 4, entry) != zip_local_header_signature)
      throw std::runtime_error(entry + " is corrupt (no local header at byte " + std::to_string(local) + ")");
    // The local header's own name and extra lengths place the data; its sizes may be zip64 markers.
    const std::uint64_t local_name_length = read_le(body, local + 26, 2, entry);
    const std::uint64_t local_extra_length = read_le(body, local + 28, 2, entry);
    if (slice(body, local + zip_local_header_size, local_name_length, entry) != name)
      throw std::runtime_error(entry + " is corrupt (its local header names another entry)");
    const std::uint64_t data_at = local + zip_local_header_size + local_name_length + local_extra_length;
    const std::string_view data = slice(body, data_at, size, entry);
    entries.push_back({std::string(name), data});
    crcs.push_back(static_cast<std::uint32_t>(crc));
    spans.push_back({local, data_at + size, entries.size() - 1});
  }

  std::sort(spans.begin(), spans.end(), [](const zip_span& a, const zip_span& b) { return a.begin < b.begin; });
  for (std::size_t k = 1; k < spans.size(); ++k)
    if (spans[k].begin < spans[k - 1].end)
      throw std::runtime_error(std::string(where) + " is corrupt (entries " +
                               printable_name(entries[spans[k - 1].entry].name) + " and " +
                               printable_name(entries[spans[k].entry].name) + " overlap)");
  std::vector<std::string_view> names;
  for (const zip_entry& e : entries) names.push_back(e.name);
  std::sort(names.begin(), names.end());
  if (const auto twice = std::adjacent_find(names.begin(), names.end()); twice != names.end())
    throw std::runtime_error(std::string(where) + ": entry " + printable_name(*twice) + " appears more than once");

  // Fuzzing builds (the libFuzzer harnesses and their replay) skip the checksum, which random
  // mutations would otherwise never get past, so that the fuzzer reaches the .npy parser.
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
  for (std::size_t i = 0; i < entries.size(); ++i)
    if (crc32(entries[i].data) != crcs[i])
      throw std::runtime_error(std::string(where) + ": entry " + printable_name(entries[i].name) +
                               " is corrupt (CRC-32 mismatch)");
#endif
  return entries;
}

}  // namespace rnncell::detail
