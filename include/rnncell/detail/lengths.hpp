#pragma once
// Per-sequence lengths of a variable-length batch: what a caller may pass (any contiguous range of
// integers: std::vector<int>, std::array<std::int64_t, B>, std::span<const std::size_t>, ...) and
// the check that they fit the batch, with a message naming the entry and the range allowed.
#include <concepts>
#include <cstddef>
#include <ranges>
#include <span>
#include <stdexcept>
#include <string>

namespace rnncell {

/// Lengths as the unchecked calls take them: B values in [1, T]; empty means every sequence has T
/// steps.
using step_lengths = std::span<const std::size_t>;

/// A contiguous range of integers: what the checked calls accept as per-sequence lengths.
template <class R>
concept length_range = std::ranges::contiguous_range<R> && std::integral<std::ranges::range_value_t<R>> &&
                       !std::same_as<std::ranges::range_value_t<R>, bool>;

namespace detail {

/// Throws std::invalid_argument unless lengths has B entries, each in [1, T].
template <length_range R>
void check_lengths(const R& lengths, std::size_t steps, std::size_t batch) {
  const std::size_t count = std::ranges::size(lengths);
  if (count != batch)
    throw std::invalid_argument("rnncell: lengths has " + std::to_string(count) + " entries, expected one per sequence (B = " +
                                std::to_string(batch) + ")");
  std::size_t i = 0;
  for (const auto length : lengths) {
    if (length < 1 || static_cast<std::size_t>(length) > steps)
      throw std::invalid_argument("rnncell: lengths[" + std::to_string(i) + "] = " + std::to_string(length) +
                                  ", expected a length in [1, T = " + std::to_string(steps) + "]");
    ++i;
  }
}

}  // namespace detail
}  // namespace rnncell
