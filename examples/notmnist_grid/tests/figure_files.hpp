#pragma once
// Checks that a figure file is what its extension says: a PNG by its signature, an SVG by parsing
// it as XML, and how many plot panels gnuplot drew into an SVG.
#include <cstddef>
#include <filesystem>
#include <string>

namespace notmnist::testing {

/// The file is non-empty and starts with the 8-byte PNG signature.
bool is_png(const std::filesystem::path& file);

/// Empty when `text` is well-formed XML whose single root element is <svg>; otherwise what is
/// wrong and at which offset.
std::string svg_error(const std::string& text);

/// gnuplot names each plot's group "gnuplot_plot_<n><panel>", the panel being a letter suffix in a
/// multiplot and nothing in a single plot: the number of distinct panels.
std::size_t svg_panels(const std::string& svg);

}  // namespace notmnist::testing
