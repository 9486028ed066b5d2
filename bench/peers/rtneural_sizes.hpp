#pragma once
// The (In, H) sizes of the streaming comparison (issue 11), at compile time for both libraries.
#include <type_traits>

namespace rnncell_bench {

template <class F>
void for_each_stream_size(F&& f) {
  auto size = [&](auto in, auto hidden) { f(in, hidden); };
  size(std::integral_constant<int, 1>{}, std::integral_constant<int, 8>{});
  size(std::integral_constant<int, 1>{}, std::integral_constant<int, 16>{});
  size(std::integral_constant<int, 1>{}, std::integral_constant<int, 32>{});
  size(std::integral_constant<int, 1>{}, std::integral_constant<int, 64>{});
  size(std::integral_constant<int, 28>{}, std::integral_constant<int, 50>{});
  size(std::integral_constant<int, 28>{}, std::integral_constant<int, 128>{});
  size(std::integral_constant<int, 28>{}, std::integral_constant<int, 256>{});
}

}  // namespace rnncell_bench
