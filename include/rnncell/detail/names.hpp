#pragma once
// Builds "prefix.name" parameter names in a fixed buffer: parameter traversal runs every training
// step (Adam), and must not allocate.
#include <algorithm>
#include <cstddef>
#include <string_view>

namespace rnncell::detail {

class joined_name {
 public:
  joined_name(std::string_view prefix, std::string_view name) {
    append(prefix);
    append(".");
    append(name);
  }
  joined_name(std::string_view prefix, std::size_t index, std::string_view name) {
    append(prefix);
    char digits[20];
    std::size_t n = 0;
    do digits[n++] = char('0' + index % 10);
    while (index /= 10);
    while (n) buf_[size_++] = digits[--n];
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
  char buf_[96];
  std::size_t size_ = 0;
};

}  // namespace rnncell::detail
