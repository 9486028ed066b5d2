#pragma once
#include <cstddef>

namespace rnncell::detail {

// Instantiated where two widths must agree. On a mismatch the compiler's "in instantiation of
// check_width<Expected, Got>" line names both numbers next to the message.
template <std::size_t Expected, std::size_t Got>
struct check_width {
  static_assert(Expected == Got,
                "rnncell: width mismatch: check_width<Expected, Got> in the lines above names the width "
                "this layer expects and the width it was given");
  static constexpr bool value = true;
};

}  // namespace rnncell::detail
