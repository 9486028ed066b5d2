#pragma once
// Small pieces of gnuplot script text: a terminal, a quoted file name, an axis range that fits
// the values drawn.
#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>

namespace notmnist {

// The smallest interval holding every value added, widened by a margin on each side.
struct value_range {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  void add(double v) {
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  bool empty() const { return lo > hi; }
  double low() const { return empty() ? 0 : lo; }  // with padded(): inside the range drawn
  std::string padded(double below, double above) const {
    if (empty()) return "[0:1]";  // nothing to draw: any valid range
    const double span = hi > lo ? hi - lo : std::max(std::abs(hi), 1e-3) * 0.1;
    std::ostringstream text;
    text << '[' << lo - below * span << ':' << hi + above * span << ']';
    return text.str();
  }
};

// gnuplot's terminal for a figure of width x height pixels in `format`, "png" or "svg".
inline std::string terminal(const std::string& format, int width, int height) {
  return format == "png" ? "pngcairo size " + std::to_string(width) + "," + std::to_string(height) +
                               " noenhanced font 'sans,11'"
                         : "svg size " + std::to_string(width) + "," + std::to_string(height) +
                               " dynamic noenhanced font 'sans,11'";
}

// A file name as a gnuplot string. (Built by appending: GCC 12 warns falsely on "'" + string.)
inline std::string quoted(const std::string& file) {
  std::string text(1, '\'');
  text += file;
  text += '\'';
  return text;
}

}  // namespace notmnist
