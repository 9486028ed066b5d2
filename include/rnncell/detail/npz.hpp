#pragma once
// NumPy .npz archives: a zip file whose entries are .npy arrays. Only what checkpoints need:
// a writer of uncompressed (STORED) zips, and a reader of uncompressed zips as written by the
// writer or by numpy.savez (which marks every entry zip64, so sizes and offsets are taken from the
// central directory and zip64 extra fields, never from the local headers). Compressed entries
// (numpy.savez_compressed) are refused: inflating would need zlib, and the library links only
// xtensor and BLAS. The .npy payloads are written by xtensor's xnpy and their headers parsed by it.
// Format references: PKWARE APPNOTE.TXT 6.3 (sections 4.3, 4.5.3) and NumPy's format.py.
#include <rnncell/detail/shapes.hpp>
#include <rnncell/detail/xtensor.hpp>
// Not in detail/xtensor.hpp because only checkpoints use it; same path in xtensor 0.24 and 0.26.
#include <xtensor/xnpy.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rnncell::detail {

// ---- CRC-32 (zip's: reflected polynomial 0xEDB88320) --------------------------------------

inline constexpr std::array<std::uint32_t, 256> crc32_table = [] {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int bit = 0; bit < 8; ++bit) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}();

inline std::uint32_t crc32(std::string_view bytes) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (char byte : bytes) c = crc32_table[(c ^ static_cast<unsigned char>(byte)) & 0xFFu] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

// ---- zip records -----------------------------------------------------------------------------

inline constexpr std::uint32_t zip_local_header_signature = 0x04034b50;
inline constexpr std::uint32_t zip_central_header_signature = 0x02014b50;
inline constexpr std::uint32_t zip_end_signature = 0x06054b50;
inline constexpr std::uint32_t zip64_end_signature = 0x06064b50;
inline constexpr std::uint32_t zip64_locator_signature = 0x07064b50;
inline constexpr std::size_t zip_local_header_size = 30;
inline constexpr std::size_t zip_central_header_size = 46;
inline constexpr std::size_t zip_end_size = 22;
inline constexpr std::size_t zip64_locator_size = 20;
inline constexpr std::uint16_t zip_version_needed = 20;  // 2.0: the baseline every reader accepts
inline constexpr std::uint16_t zip_method_stored = 0;
inline constexpr std::uint16_t zip_method_deflate = 8;
inline constexpr std::uint16_t zip_dos_date_1980_01_01 = (1 << 5) | 1;  // fixed: same model, same bytes
inline constexpr std::uint64_t zip32_max = 0xFFFFFFFFu;              // "see the zip64 field" marker

inline void append_le(std::string& out, std::uint64_t value, unsigned width) {
  for (unsigned i = 0; i < width; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFFu));
}

/// `length` bytes at `offset`; a range past the end means the archive is truncated or a record
/// points outside it.
inline std::string_view slice(std::string_view bytes, std::uint64_t offset, std::uint64_t length,
                              std::string_view where) {
  if (offset > bytes.size() || bytes.size() - offset < length)
    throw std::runtime_error(std::string(where) + " is truncated or corrupt (" + std::to_string(length) +
                             " bytes at byte " + std::to_string(offset) + " run past the end of the data)");
  return bytes.substr(offset, length);
}

/// Little-endian unsigned integer of `width` bytes at `offset`.
inline std::uint64_t read_le(std::string_view bytes, std::uint64_t offset, unsigned width,
                             std::string_view where) {
  std::uint64_t value = 0;
  const std::string_view field = slice(bytes, offset, width, where);
  for (unsigned i = 0; i < width; ++i) value |= std::uint64_t(static_cast<unsigned char>(field[i])) << (8 * i);
  return value;
}

struct zip_member {
  std::string name;
  std::string data;
};

/// The bytes of an uncompressed zip holding `members` in order. Plain (not zip64) records, so the
/// whole archive must stay under 4 GiB; entry names must be unique.
inline std::string make_stored_zip(std::span<const zip_member> members) {
  std::string archive;
  std::string central;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const zip_member& m = members[i];
    for (std::size_t j = 0; j < i; ++j)
      if (members[j].name == m.name) throw std::invalid_argument("zip: duplicate entry '" + m.name + "'");
    const std::uint64_t offset = archive.size();
    if (m.name.size() > 0xFFFF || m.data.size() >= zip32_max || offset >= zip32_max)
      throw std::length_error("zip: entry '" + m.name + "' does not fit a zip without zip64 (4 GiB)");
    const std::uint32_t crc = crc32(m.data);

    // Fields shared by the local header (from "version needed") and the central header.
    std::string common;
    append_le(common, zip_version_needed, 2);
    append_le(common, 0, 2);  // flags: no data descriptor, not encrypted
    append_le(common, zip_method_stored, 2);
    append_le(common, 0, 2);  // modification time 00:00:00
    append_le(common, zip_dos_date_1980_01_01, 2);
    append_le(common, crc, 4);
    append_le(common, m.data.size(), 4);  // compressed size
    append_le(common, m.data.size(), 4);  // uncompressed size
    append_le(common, m.name.size(), 2);
    append_le(common, 0, 2);  // extra field length

    append_le(archive, zip_local_header_signature, 4);
    archive += common;
    archive += m.name;
    archive += m.data;

    append_le(central, zip_central_header_signature, 4);
    append_le(central, zip_version_needed, 2);  // version made by (MS-DOS attributes, none set)
    central += common;
    append_le(central, 0, 2);  // comment length
    append_le(central, 0, 2);  // disk number
    append_le(central, 0, 2);  // internal attributes
    append_le(central, 0, 4);  // external attributes
    append_le(central, offset, 4);
    central += m.name;
  }
  const std::uint64_t central_offset = archive.size();
  if (members.size() > 0xFFFF || central_offset + central.size() >= zip32_max)
    throw std::length_error("zip: archive does not fit a zip without zip64 (4 GiB, 65535 entries)");
  archive += central;
  append_le(archive, zip_end_signature, 4);
  append_le(archive, 0, 2);  // this disk
  append_le(archive, 0, 2);  // disk holding the central directory
  append_le(archive, members.size(), 2);
  append_le(archive, members.size(), 2);
  append_le(archive, central.size(), 4);
  append_le(archive, central_offset, 4);
  append_le(archive, 0, 2);  // comment length
  return archive;
}

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
    dir = {read_le(archive, record + 32, 8, where), read_le(archive, record + 40, 8, where),
           read_le(archive, record + 48, 8, where)};
  }
  if (dir.offset > archive.size() || archive.size() - dir.offset < dir.size)
    throw std::runtime_error(std::string(where) + " is truncated or corrupt (central directory outside the file)");
  return dir;
}

/// Replaces saturated 32-bit sizes/offset by the 64-bit values of the zip64 extra field (id 1),
/// which lists only the saturated ones, in this order (APPNOTE 4.5.3).
inline void apply_zip64_extra(std::string_view extra, std::uint64_t& size, std::uint64_t& compressed,
                              std::uint64_t& offset, std::string_view where) {
  for (std::uint64_t pos = 0; pos + 4 <= extra.size();) {
    const std::uint64_t id = read_le(extra, pos, 2, where);
    const std::uint64_t length = read_le(extra, pos + 2, 2, where);
    if (id == 1) {
      std::uint64_t field = pos + 4;
      for (std::uint64_t* value : {&size, &compressed, &offset})
        if (*value == zip32_max) {
          *value = read_le(extra, field, 8, where);
          field += 8;
        }
    }
    pos += 4 + length;
  }
}

/// The entries of an uncompressed zip, in central-directory order; `where` names the file in
/// error messages. Checks every entry's bounds and CRC-32.
inline std::vector<zip_entry> read_stored_zip(std::string_view archive, std::string_view where) {
  const zip_directory dir = find_zip_directory(archive, where);
  std::vector<zip_entry> entries;
  std::uint64_t pos = dir.offset;
  for (std::uint64_t i = 0; i < dir.entries; ++i) {
    if (read_le(archive, pos, 4, where) != zip_central_header_signature)
      throw std::runtime_error(std::string(where) + " is corrupt (bad central directory record " +
                               std::to_string(i) + ")");
    const std::uint64_t flags = read_le(archive, pos + 8, 2, where);
    const std::uint64_t method = read_le(archive, pos + 10, 2, where);
    const std::uint64_t crc = read_le(archive, pos + 16, 4, where);
    std::uint64_t compressed = read_le(archive, pos + 20, 4, where);
    std::uint64_t size = read_le(archive, pos + 24, 4, where);
    const std::uint64_t name_length = read_le(archive, pos + 28, 2, where);
    const std::uint64_t extra_length = read_le(archive, pos + 30, 2, where);
    const std::uint64_t comment_length = read_le(archive, pos + 32, 2, where);
    std::uint64_t local = read_le(archive, pos + 42, 4, where);
    const std::uint64_t name_at = pos + zip_central_header_size;
    const std::string name(slice(archive, name_at, name_length, where));
    apply_zip64_extra(slice(archive, name_at + name_length, extra_length, where), size, compressed, local, where);
    pos = name_at + name_length + extra_length + comment_length;

    const std::string entry = std::string(where) + ": entry '" + name + "'";
    if (flags & 1u) throw std::runtime_error(entry + " is encrypted, which is not supported");
    if (method == zip_method_deflate)
      throw std::runtime_error(entry + " is compressed (deflate, as numpy.savez_compressed writes); only "
                               "uncompressed entries can be read: save it with numpy.savez");
    if (method != zip_method_stored)
      throw std::runtime_error(entry + " uses zip compression method " + std::to_string(method) +
                               "; only uncompressed (stored) entries can be read");
    if (compressed != size)
      throw std::runtime_error(entry + " is corrupt (stored entry with different compressed and full sizes)");

    if (read_le(archive, local, 4, where) != zip_local_header_signature)
      throw std::runtime_error(entry + " is corrupt (no local header at byte " + std::to_string(local) + ")");
    // The local header's own name and extra lengths place the data; its sizes may be zip64 markers.
    const std::uint64_t data_at = local + zip_local_header_size + read_le(archive, local + 26, 2, where) +
                                  read_le(archive, local + 28, 2, where);
    const std::string_view data = slice(archive, data_at, size, entry);
    if (crc32(data) != crc) throw std::runtime_error(entry + " is corrupt (CRC-32 mismatch)");
    entries.push_back({name, data});
  }
  return entries;
}

// ---- .npy payloads ---------------------------------------------------------------------------

template <class T, std::size_t N>
std::string npy_bytes(const xt::xtensor<T, N>& array) {
  return xt::dump_npy(array);
}

/// A parsed .npy header and a view of the raw array bytes that follow it.
struct npy_array {
  std::string descr;  ///< NumPy dtype string, e.g. "<f4"
  bool fortran_order = false;
  std::vector<std::size_t> shape;
  std::string_view data;
};

/// Splits a .npy file (versions 1.0, 2.0 and 3.0 of NumPy's format) into header and data.
/// xnpy's own readers are not used for the length: they sign-extend its bytes (lengths of
/// 128..255 come out wrong) and allocate whatever size the header claims before checking it.
inline npy_array parse_npy(std::string_view bytes, std::string_view where) {
  const std::string_view magic(xt::detail::magic_string, xt::detail::magic_string_length);
  if (bytes.substr(0, magic.size()) != magic)
    throw std::runtime_error(std::string(where) + " is not a .npy array (no NumPy magic string)");
  const std::uint64_t major = read_le(bytes, magic.size(), 1, where);
  if (major < 1 || major > 3)
    throw std::runtime_error(std::string(where) + " is .npy format version " + std::to_string(major) +
                             ", expected 1, 2 or 3");
  const unsigned length_width = major == 1 ? 2 : 4;
  const std::uint64_t header_at = magic.size() + 2 + length_width;
  const std::uint64_t header_length = read_le(bytes, magic.size() + 2, length_width, where);
  const std::string header(slice(bytes, header_at, header_length, where));

  // xt::detail::parse_header reads back() of the header and of the shape value unchecked;
  // refuse the malformed headers on which it would, then let it parse.
  std::string compact = header;
  std::erase(compact, ' ');
  const std::size_t shape_key = compact.find("'shape'");
  if (header.empty() || header.back() != '\n' || compact.front() != '{' || shape_key == std::string::npos ||
      compact.compare(shape_key, 9, "'shape':(") != 0)
    throw std::runtime_error(std::string(where) + " has a malformed .npy header");
  npy_array array;
  try {
    xt::detail::parse_header(header, array.descr, &array.fortran_order, array.shape);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(std::string(where) + " has a malformed .npy header (" + e.what() + ")");
  }
  array.data = bytes.substr(header_at + header_length);
  return array;
}

/// "float32 ('<f4')" for the dtypes of float and double, else the raw NumPy dtype string.
inline std::string npy_dtype_name(const std::string& descr) {
  if (descr == xt::detail::build_typestring<float>()) return "float32 ('" + descr + "')";
  if (descr == xt::detail::build_typestring<double>()) return "float64 ('" + descr + "')";
  return "'" + descr + "'";
}

/// Throws, naming `where`, unless `array` has exactly the dtype and shape of `target` and as
/// many data bytes as they need. Types are never converted: a float64 checkpoint is not a
/// float32 model's.
template <class T, std::size_t N>
void check_npy_matches(const npy_array& array, const xt::xtensor<T, N>& target, std::string_view where) {
  const std::string expected_descr = xt::detail::build_typestring<T>();
  if (array.descr != expected_descr)
    throw std::runtime_error(std::string(where) + " has dtype " + npy_dtype_name(array.descr) + ", expected " +
                             npy_dtype_name(expected_descr));
  if (!std::equal(array.shape.begin(), array.shape.end(), target.shape().begin(), target.shape().end()))
    throw std::runtime_error(std::string(where) + " has shape " + shape_string(array.shape) + ", expected " +
                             shape_string(target.shape()));
  if (array.data.size() != target.size() * sizeof(T))
    throw std::runtime_error(std::string(where) + " holds " + std::to_string(array.data.size()) +
                             " data bytes, expected " + std::to_string(target.size() * sizeof(T)));
}

/// Copies a checked array (see check_npy_matches) into `target`, row-major whatever its order.
/// memcpy, not a cast pointer: entries inside a zip are not aligned for T.
template <class T, std::size_t N>
void copy_npy(const npy_array& array, xt::xtensor<T, N>& target) {
  if (target.size() == 0) return;  // memcpy's pointers must be valid even for 0 bytes
  if (!array.fortran_order || N < 2) {
    std::memcpy(target.data(), array.data.data(), array.data.size());
    return;
  }
  xt::xtensor<T, N, xt::layout_type::column_major> column_major(target.shape());
  std::memcpy(column_major.data(), array.data.data(), array.data.size());
  target = column_major;
}

}  // namespace rnncell::detail
