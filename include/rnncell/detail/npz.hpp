#pragma once
// NumPy .npz archives: a zip (detail/zip.hpp, zip_reader.hpp) whose entries are .npy arrays.
// The .npy payloads are written by xtensor's xnpy; their headers, which come from untrusted files,
// are parsed here by a strict parser of NumPy's header dict (xnpy's own parser reads past the
// end of malformed headers and throws std::invalid_argument from std::stoul on bad numbers).
// Format reference: NumPy's format.py (versions 1.0, 2.0 and 3.0).
#include <rnncell/detail/shapes.hpp>
#include <rnncell/detail/xtensor.hpp>
#include <rnncell/detail/zip.hpp>
// Not in detail/xtensor.hpp because only checkpoints use it; same path in xtensor 0.24 and 0.26.
#include <xtensor/xnpy.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rnncell::detail {

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

/// A strict reader of the header dict NumPy writes, a Python literal such as
/// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }: exactly these three keys, in any
/// order, each once; a dtype string (structured dtypes, which are lists, are refused), True or
/// False, and a tuple of non-negative integers. Every error names `where` and the byte.
class npy_header_parser {
 public:
  npy_header_parser(std::string_view text, std::string_view where) : text_(text), where_(where) {}

  void parse(npy_array& array) {
    bool seen_descr = false, seen_order = false, seen_shape = false;
    expect('{');
    while (!eat('}')) {
      const std::string key = string_literal();
      expect(':');
      if (key == "descr" && !seen_descr) {
        array.descr = string_literal();
        seen_descr = true;
      } else if (key == "fortran_order" && !seen_order) {
        array.fortran_order = boolean();
        seen_order = true;
      } else if (key == "shape" && !seen_shape) {
        array.shape = shape_tuple();
        seen_shape = true;
      } else {
        fail("unexpected or repeated key '" + key.substr(0, 40) + "'");
      }
      if (!eat(',')) {
        expect('}');
        break;
      }
    }
    if (!seen_descr || !seen_order || !seen_shape) fail("'descr', 'fortran_order' or 'shape' is missing");
    skip_space();
    if (pos_ != text_.size()) fail("text after the closing '}'");
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error(std::string(where_) + " has a malformed .npy header (" + what + " at byte " +
                             std::to_string(pos_) + " of the header)");
  }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\t')) ++pos_;
  }
  bool eat(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) return ++pos_, true;
    return false;
  }
  void expect(char c) {
    if (!eat(c)) fail(std::string("expected '") + c + "'");
  }
  std::string string_literal() {
    skip_space();
    if (pos_ >= text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"')) fail("expected a quoted string");
    const char quote = text_[pos_++];
    const std::size_t close = text_.find(quote, pos_);
    if (close == std::string_view::npos) fail("unterminated string");
    std::string value(text_.substr(pos_, close - pos_));
    pos_ = close + 1;
    return value;
  }
  bool boolean() {
    skip_space();
    for (const auto& [word, value] : {std::pair{std::string_view("True"), true}, {std::string_view("False"), false}})
      if (text_.substr(pos_, word.size()) == word) {
        pos_ += word.size();
        return value;
      }
    fail("expected True or False");
  }
  std::vector<std::size_t> shape_tuple() {
    std::vector<std::size_t> shape;
    expect('(');
    while (!eat(')')) {
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] < '0' || text_[pos_] > '9') fail("expected a size");
      std::size_t n = 0;
      for (; pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9'; ++pos_) {
        const std::size_t digit = std::size_t(text_[pos_] - '0');
        if (n > (std::numeric_limits<std::size_t>::max() - digit) / 10) fail("size too large");
        n = n * 10 + digit;
      }
      shape.push_back(n);
      if (!eat(',')) {
        expect(')');
        break;
      }
    }
    return shape;
  }

  std::string_view text_;
  std::string_view where_;
  std::size_t pos_ = 0;
};

/// Splits a .npy file (versions 1.0, 2.0 and 3.0 of NumPy's format) into header and data.
/// xnpy's own readers are not used: they sign-extend the header length's bytes (lengths of
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
  const std::string_view header = slice(bytes, header_at, header_length, where);
  if (header.empty() || header.back() != '\n')
    throw std::runtime_error(std::string(where) + " has a malformed .npy header (it does not end in a newline)");
  npy_array array;
  npy_header_parser(header, where).parse(array);
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
/// Allocates nothing and cannot throw, so a load that passed its checks changes every parameter.
/// memcpy, not a cast pointer: entries inside a zip are not aligned for T.
template <class T, std::size_t N>
void copy_npy(const npy_array& array, xt::xtensor<T, N>& target) noexcept {
  if (target.size() == 0) return;  // memcpy's pointers must be valid even for 0 bytes
  if (!array.fortran_order || N < 2) {
    std::memcpy(target.data(), array.data.data(), array.data.size());
    return;
  }
  // Walk the target in row-major order (last index fastest) with an odometer over the indices,
  // tracking the column-major offset of the same element in the file (first index fastest).
  std::array<std::size_t, N> index{}, stride{};
  for (std::size_t d = 0, s = 1; d < N; s *= target.shape()[d], ++d) stride[d] = s;
  std::size_t from = 0;
  for (T* to = target.data(); to != target.data() + target.size(); ++to) {
    std::memcpy(to, array.data.data() + from * sizeof(T), sizeof(T));
    for (std::size_t d = N; d-- > 0;) {
      from += stride[d];
      if (++index[d] < target.shape()[d]) break;
      from -= stride[d] * index[d];
      index[d] = 0;
    }
  }
}

}  // namespace rnncell::detail
