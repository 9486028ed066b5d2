#pragma once
// Command-line values, checked before any work. CLI11 only splits the command line into strings;
// these parsers turn each string into its value or throw flag_error with one line that names the
// flag, says what is allowed and repeats what was given ("--epochs must be an integer from 1 to
// 100000, got '0'"). CLI11's own range checks print bounds such as 1.79769e+308, accept NaN and
// give non-numbers the same "not in range" text.
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace notmnist {

struct flag_error : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

/// A decimal integer in [min, max].
long long parse_integer_flag(std::string_view flag, std::string_view text, long long min, long long max);

/// A decimal integer in [0, 2^64 - 1].
std::uint64_t parse_unsigned_flag(std::string_view flag, std::string_view text);

/// A finite decimal number in (above, max]: NaN and infinities are refused.
double parse_real_flag(std::string_view flag, std::string_view text, double above, double max);

/// A dropout rate: a decimal number in [0, 1) (1 would drop everything; NaN is refused).
double parse_rate_flag(std::string_view flag, std::string_view text);

/// Comma-separated integers, each one of `allowed`, none repeated (a repeat would train a run twice).
std::vector<int> parse_int_choices_flag(std::string_view flag, const std::vector<std::string>& items,
                                        std::span<const int> allowed);

/// Comma-separated names, each one of `allowed` (any case), none repeated; returned in lower case.
std::vector<std::string> parse_name_choices_flag(std::string_view flag, const std::vector<std::string>& items,
                                                 std::span<const std::string_view> allowed);

/// A path: anything but the empty string.
std::string parse_path_flag(std::string_view flag, std::string_view text);

}  // namespace notmnist
