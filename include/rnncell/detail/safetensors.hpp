#pragma once
// .safetensors files (the format PyTorch and Hugging Face save weights in instead of pickles):
//   8 bytes   N, little-endian unsigned: the header's length
//   N bytes   a JSON object, UTF-8: {"<name>": {"dtype": "F32", "shape": [2, 3],
//             "data_offsets": [begin, end]}, ..., "__metadata__": {"<key>": "<text>", ...}}
//   the rest  the tensors' bytes, row-major little-endian; begin and end count from the first
//             byte after the header
// The bytes are untrusted: the header is read by a strict parser of exactly that JSON (the core
// takes no JSON library for it; it is fuzzed, tests/fuzz/fuzz_tensors.cpp), every length and
// offset is checked against the bytes present before it is used, a tensor's byte count must be
// its shape's product times its dtype's size, and tensors may neither overlap nor share a name.
// Errors name `where` (the file) and the entry.
#include <rnncell/detail/shapes.hpp>
#include <rnncell/detail/zip.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rnncell::detail {

/// One tensor of a .safetensors file: its name, dtype string (as written: "F32", "F64", ...),
/// shape and a view of its bytes in the file.
struct safetensors_entry {
  std::string name;
  std::string dtype;
  std::vector<std::size_t> shape;
  std::string_view data;
};

/// The bytes per value of a dtype rnncell reads (F32, F64), or 0 for any other.
inline std::size_t safetensors_dtype_size(std::string_view dtype) {
  return dtype == "F32" ? 4 : dtype == "F64" ? 8 : 0;
}

/// A strict reader of the header's JSON (RFC 8259) as the format uses it: one object whose values
/// are tensor records (exactly the keys dtype, shape, data_offsets, each once) or, under
/// "__metadata__", an object of strings. Numbers are non-negative integers. Every error names
/// `where` and the byte.
class safetensors_header_parser {
 public:
  struct record {
    std::string name, dtype;
    std::vector<std::uint64_t> shape;
    std::uint64_t begin = 0, end = 0;
  };

  safetensors_header_parser(std::string_view text, std::string_view where) : text_(text), where_(where) {}

  std::vector<record> parse() {
    std::vector<record> records;
    bool seen_metadata = false;
    expect('{');
    if (!eat('}')) {
      do {
        std::string name = string();
        expect(':');
        if (name == "__metadata__") {
          if (seen_metadata) fail("a second \"__metadata__\"");
          seen_metadata = true;
          metadata();
        } else {
          records.push_back(tensor_record(std::move(name)));
        }
      } while (eat(','));
      expect('}');
    }
    skip_space();
    if (pos_ != text_.size()) fail("text after the header's object");
    return records;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error(std::string(where_) + " has a malformed header (" + what + " at byte " +
                             std::to_string(pos_) + " of the JSON)");
  }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }
  bool eat(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) return ++pos_, true;
    return false;
  }
  void expect(char c) {
    if (!eat(c)) fail(std::string("expected '") + c + "'");
  }

  // A JSON string, escapes decoded to UTF-8 (names may be any text).
  std::string string() {
    expect('"');
    std::string out;
    while (true) {
      if (pos_ >= text_.size()) fail("an unterminated string");
      const char c = text_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail("a control character in a string");
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= text_.size()) fail("an unterminated escape");
      switch (const char e = text_[pos_++]; e) {
        case '"': case '\\': case '/': out.push_back(e); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': append_utf8(out, code_point()); break;
        default: fail("an unknown escape");
      }
    }
  }
  std::uint32_t hex4() {
    if (text_.size() - pos_ < 4) fail("a short \\u escape");
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (digit < 0) fail("a bad \\u escape");
      value = value * 16 + std::uint32_t(digit);
    }
    return value;
  }
  // \uXXXX, or a surrogate pair \uD8xx\uDCxx, as one code point.
  std::uint32_t code_point() {
    const std::uint32_t first = hex4();
    if (first >= 0xDC00 && first <= 0xDFFF) fail("a lone low surrogate");
    if (first < 0xD800 || first > 0xDBFF) return first;
    if (text_.substr(pos_, 2) != "\\u") fail("a high surrogate without its low one");
    pos_ += 2;
    const std::uint32_t second = hex4();
    if (second < 0xDC00 || second > 0xDFFF) fail("a high surrogate without its low one");
    return 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
  }
  static void append_utf8(std::string& out, std::uint32_t c) {
    if (c < 0x80) {
      out.push_back(char(c));
    } else if (c < 0x800) {
      out += {char(0xC0 | (c >> 6)), char(0x80 | (c & 0x3F))};
    } else if (c < 0x10000) {
      out += {char(0xE0 | (c >> 12)), char(0x80 | ((c >> 6) & 0x3F)), char(0x80 | (c & 0x3F))};
    } else {
      out += {char(0xF0 | (c >> 18)), char(0x80 | ((c >> 12) & 0x3F)), char(0x80 | ((c >> 6) & 0x3F)),
              char(0x80 | (c & 0x3F))};
    }
  }

  // A non-negative integer that fits 64 bits, without a sign, fraction or exponent.
  std::uint64_t integer() {
    skip_space();
    const std::size_t first = pos_;
    std::uint64_t value = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      const std::uint64_t digit = std::uint64_t(text_[pos_] - '0');
      if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) fail("a number too large");
      value = value * 10 + digit;
      ++pos_;
    }
    if (pos_ == first) fail("expected a non-negative integer");
    if (pos_ - first > 1 && text_[first] == '0') fail("a number with a leading zero");
    if (pos_ < text_.size() && (text_[pos_] == '.' || text_[pos_] == 'e' || text_[pos_] == 'E'))
      fail("a number that is not an integer");
    return value;
  }
  std::vector<std::uint64_t> integers() {
    std::vector<std::uint64_t> values;
    expect('[');
    if (eat(']')) return values;
    do values.push_back(integer());
    while (eat(','));
    expect(']');
    return values;
  }

  record tensor_record(std::string name) {
    record r;
    r.name = std::move(name);
    bool seen_dtype = false, seen_shape = false, seen_offsets = false;
    expect('{');
    if (!eat('}')) {
      do {
        const std::string key = string();
        expect(':');
        if (key == "dtype" && !seen_dtype) {
          r.dtype = string();
          seen_dtype = true;
        } else if (key == "shape" && !seen_shape) {
          r.shape = integers();
          seen_shape = true;
        } else if (key == "data_offsets" && !seen_offsets) {
          const std::vector<std::uint64_t> offsets = integers();
          if (offsets.size() != 2) fail("data_offsets of " + std::to_string(offsets.size()) + " numbers, not 2");
          r.begin = offsets[0];
          r.end = offsets[1];
          seen_offsets = true;
        } else {
          fail("an unexpected or repeated key " + printable_name(key) + " in tensor " + printable_name(r.name));
        }
      } while (eat(','));
      expect('}');
    }
    if (!seen_dtype || !seen_shape || !seen_offsets)
      fail("tensor " + printable_name(r.name) + " without dtype, shape and data_offsets");
    return r;
  }

  void metadata() {
    expect('{');
    if (eat('}')) return;
    do {
      string();
      expect(':');
      string();
    } while (eat(','));
    expect('}');
  }

  std::string_view text_;
  std::string_view where_;
  std::size_t pos_ = 0;
};

/// Every tensor of a .safetensors file's bytes, in the header's order, each checked: a dtype
/// rnncell reads, its offsets inside the data, ordered and not overlapping another's, and exactly
/// shape product x dtype size bytes.
inline std::vector<safetensors_entry> read_safetensors(std::string_view bytes, std::string_view where) {
  const std::uint64_t header_length = read_le(bytes, 0, 8, where);
  const std::string_view header = slice(bytes, 8, header_length, where);
  const std::string_view data = bytes.substr(8 + header.size());
  std::vector<safetensors_entry> entries;
  struct span {
    std::uint64_t begin, end;
    std::size_t entry;
  };
  std::vector<span> spans;
  for (auto& r : safetensors_header_parser(header, where).parse()) {
    const std::string entry = std::string(where) + ": tensor " + printable_name(r.name);
    const std::size_t value_size = safetensors_dtype_size(r.dtype);
    if (value_size == 0)
      throw std::runtime_error(entry + " has dtype " + printable_name(r.dtype) + "; rnncell reads F32 and F64");
    std::uint64_t values = 1;
    for (const std::uint64_t extent : r.shape) {
      if (extent != 0 && values > std::numeric_limits<std::uint64_t>::max() / value_size / extent)
        throw std::runtime_error(entry + " has a shape too large: " + shape_string(r.shape));
      values *= extent;
    }
    if (r.begin > r.end)
      throw std::runtime_error(entry + " has data_offsets [" + std::to_string(r.begin) + ", " + std::to_string(r.end) +
                               "] that end before they begin");
    if (r.end > data.size())
      throw std::runtime_error(entry + " has data_offsets [" + std::to_string(r.begin) + ", " + std::to_string(r.end) +
                               "] past the end of the data (" + std::to_string(data.size()) + " bytes)");
    if (r.end - r.begin != values * value_size)
      throw std::runtime_error(entry + " holds " + std::to_string(r.end - r.begin) + " bytes, but its shape " +
                               shape_string(r.shape) + " of " + r.dtype + " needs " +
                               std::to_string(values * value_size));
    spans.push_back({r.begin, r.end, entries.size()});
    entries.push_back({std::move(r.name), std::move(r.dtype), std::vector<std::size_t>(r.shape.begin(), r.shape.end()),
                       data.substr(r.begin, r.end - r.begin)});
  }
  std::sort(spans.begin(), spans.end(), [](const span& a, const span& b) { return a.begin < b.begin; });
  for (std::size_t k = 1; k < spans.size(); ++k)
    if (spans[k].begin < spans[k - 1].end)
      throw std::runtime_error(std::string(where) + ": tensors " + printable_name(entries[spans[k - 1].entry].name) +
                               " and " + printable_name(entries[spans[k].entry].name) + " overlap");
  std::vector<std::string_view> names;
  for (const safetensors_entry& e : entries) names.push_back(e.name);
  std::sort(names.begin(), names.end());
  if (const auto twice = std::adjacent_find(names.begin(), names.end()); twice != names.end())
    throw std::runtime_error(std::string(where) + ": tensor " + printable_name(*twice) + " appears more than once");
  return entries;
}

}  // namespace rnncell::detail
