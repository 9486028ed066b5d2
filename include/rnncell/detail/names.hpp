#pragma once
// Builds "prefix.name" and "prefix<index>.name" parameter names in a fixed buffer: parameter
// traversal runs every training step (Adam), and must not allocate.
#include <algorithm>
#include <cstddef>
#include <string_view>

namespace rnncell::detail {

/// A composite's name for one of its parts: "rnn", "head", or "layer" with index 2 ("layer2").
struct part_name {
  static constexpr std::size_t no_index = std::size_t(-1);
  std::string_view stem;
  std::size_t index = no_index;
};

class joined_name {
 public:
  /// "<part>.<name>", e.g. "layer1.Wh" or "rnn.layer1.Wh".
  joined_name(part_name part, std::string_view name) {
    append(part.stem);
    if (part.index != part_name::no_index) append_number(part.index);
    append(".");
    append(name);
  }
  std::string_view view() const { return {buf_, size_}; }

 private:
  void append(std::string_view s) {
    const std::size_t n = std::min(s.size(), sizeof(buf_) - 20 - size_);
    std::copy_n(s.data(), n, buf_ + size_);
    size_ += n;
  }
  void append_number(std::size_t index) {
    char digits[20];
    std::size_t n = 0;
    do digits[n++] = char('0' + index % 10);
    while (index /= 10);
    while (n) buf_[size_++] = digits[--n];
  }
  char buf_[96];
  std::size_t size_ = 0;
};

}  // namespace rnncell::detail
