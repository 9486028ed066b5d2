#pragma once
// Uncompressed (STORED) zip archives, as far as .npz checkpoints need them: zip's CRC-32, the
// record constants and bounds-checked field readers shared with zip_reader.hpp, and the writer.
// Format reference: PKWARE APPNOTE.TXT 6.3 (sections 4.3, 4.4, 4.5.3).
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

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
/// points outside it. Written so that no sum can wrap around.
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

/// An entry name as error messages show it: quoted, control and non-ASCII bytes as \xNN, cut
/// after 200 characters (names come from the file and may be anything, up to 64 KiB).
inline std::string printable_name(std::string_view name) {
  constexpr std::size_t shown = 200;
  std::string out = "'";
  for (std::size_t i = 0; i < name.size() && i < shown; ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      constexpr char hex[] = "0123456789abcdef";
      out += {'\\', 'x', hex[c >> 4], hex[c & 0xF]};
    }
  }
  return out + (name.size() > shown ? "'..." : "'");
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

}  // namespace rnncell::detail
