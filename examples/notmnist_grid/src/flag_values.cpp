#include "flag_values.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <sstream>

namespace notmnist {
namespace {

[[noreturn]] void refuse(std::string_view flag, const std::string& allowed, std::string_view got) {
  throw flag_error(std::string(flag) + " must be " + allowed + ", got '" + std::string(got) + "'");
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

// The whole text is one decimal number of type T (no sign for unsigned, no spaces, no "0x").
template <class T>
bool parse_whole(std::string_view text, T& value) {
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  return error == std::errc{} && stop == end;
}

}  // namespace

long long parse_integer_flag(std::string_view flag, std::string_view text, long long min, long long max) {
  long long value = 0;
  if (!parse_whole(text, value) || value < min || value > max)
    refuse(flag, "an integer from " + std::to_string(min) + " to " + std::to_string(max), text);
  return value;
}

std::uint64_t parse_unsigned_flag(std::string_view flag, std::string_view text) {
  std::uint64_t value = 0;
  if (!parse_whole(text, value)) refuse(flag, "an integer from 0 to 18446744073709551615", text);
  return value;
}

double parse_real_flag(std::string_view flag, std::string_view text, double above, double max) {
  double value = 0;
  // from_chars reads "nan" and "inf" as numbers: isfinite refuses them.
  if (!parse_whole(text, value) || !std::isfinite(value) || !(value > above) || !(value <= max)) {
    std::ostringstream allowed;
    allowed << "a finite number > " << above << " and <= " << max;
    refuse(flag, allowed.str(), text);
  }
  return value;
}

double parse_rate_flag(std::string_view flag, std::string_view text) {
  double value = 0;
  if (!parse_whole(text, value) || !(value >= 0 && value < 1)) refuse(flag, "a number in [0, 1)", text);
  return value + 0.0;  // "-0" as 0
}

std::vector<int> parse_int_choices_flag(std::string_view flag, const std::vector<std::string>& items,
                                        std::span<const int> allowed) {
  std::string choices;
  for (int a : allowed) choices += (choices.empty() ? "" : ", ") + std::to_string(a);
  std::vector<int> values;
  for (const auto& item : items) {
    int value = 0;
    if (!parse_whole(item, value) || std::find(allowed.begin(), allowed.end(), value) == allowed.end() ||
        std::find(values.begin(), values.end(), value) != values.end())
      refuse(flag, "a comma-separated list of distinct values from " + choices, joined(items));
    values.push_back(value);
  }
  if (values.empty()) refuse(flag, "a comma-separated list of distinct values from " + choices, joined(items));
  return values;
}

std::vector<std::string> parse_name_choices_flag(std::string_view flag, const std::vector<std::string>& items,
                                                 std::span<const std::string_view> allowed) {
  std::string choices;
  for (auto a : allowed) choices += (choices.empty() ? "" : ", ") + std::string(a);
  std::vector<std::string> values;
  for (const auto& item : items) {
    std::string lower = item;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (std::find(allowed.begin(), allowed.end(), lower) == allowed.end() ||
        std::find(values.begin(), values.end(), lower) != values.end())
      refuse(flag, "a comma-separated list of distinct names from " + choices, joined(items));
    values.push_back(lower);
  }
  if (values.empty()) refuse(flag, "a comma-separated list of distinct names from " + choices, joined(items));
  return values;
}

std::string parse_path_flag(std::string_view flag, std::string_view text) {
  if (text.empty()) refuse(flag, "a path", text);
  return std::string(text);
}

}  // namespace notmnist
