#pragma once
// Shape checks with messages that say what was given and what was expected, at run time
// (require_shape, check_sequence) and at compile time (check_width).
#include <algorithm>
#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>

namespace rnncell::detail {

/// "(2, 3, 4)" for any container of sizes.
inline std::string shape_string(const auto& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + ")";
}

/// Throws std::invalid_argument "rnncell: <what> has shape (..), expected (..) <expected_text>".
template <std::size_t N>
void require_shape(const char* what, const auto& shape, const std::array<std::size_t, N>& expected,
                   const char* expected_text) {
  if (shape.size() == N && std::equal(expected.begin(), expected.end(), shape.begin())) return;
  throw std::invalid_argument(std::string("rnncell: ") + what + " has shape " + shape_string(shape) +
                              ", expected " + shape_string(expected) + " " + expected_text);
}

/// A sequence batch x must be (T, B, In) with T, B >= 1.
template <std::size_t In>
void check_sequence(const auto& x) {
  require_shape("input x", x.shape(), std::array{x.shape(0), x.shape(1), In}, "(T, B, In)");
  if (x.shape(0) == 0 || x.shape(1) == 0)
    throw std::invalid_argument("rnncell: input x has shape " + shape_string(x.shape()) +
                                ", expected at least one step and one sequence");
}

/// backward must see the x that forward saw; ws is the workspace forward filled.
template <std::size_t In>
void check_backward_input(const auto& x, const auto& ws) {
  require_shape("input x given to backward", x.shape(), std::array{ws.steps(), ws.batch(), In},
                "(the shape forward saw)");
}

/// Instantiated where two widths must agree. On a mismatch the compiler's "in instantiation of
/// check_width<Expected, Got>" line names both numbers next to the message.
template <std::size_t Expected, std::size_t Got>
struct check_width {
  static_assert(Expected == Got,
                "rnncell: width mismatch: check_width<Expected, Got> in the lines above names the width "
                "this layer expects and the width it was given");
  static constexpr bool value = true;
};

}  // namespace rnncell::detail
