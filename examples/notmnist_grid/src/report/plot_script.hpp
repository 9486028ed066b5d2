#pragma once
// The gnuplot script that draws the grid's figures from the tables of plot_data.hpp, each as PNG
// and SVG. GRU is blue and MGU orange in every figure; the seed lab's values are open diamonds.
//   val_accuracy, val_loss: small multiples, one panel per (layers, hidden) (rows: layers,
//     columns: hidden), GRU and MGU mean per epoch with a ±std band, one y range for all panels.
//   final_accuracy: per position the last epoch's mean ±std of both cells, each seed, the seed
//     lab's value, and GRU - MGU written above the pair.
//   speed: seconds per epoch of both cells as bars (log scale), MGU/GRU written above the pair.
// Failed runs are named in the panels and below the pairs; a position whose runs all failed keeps
// its place, with nothing drawn but that note.
#include "report/plot_data.hpp"

#include <array>
#include <string>

namespace notmnist {

inline constexpr std::array<const char*, 4> figure_names{"val_accuracy", "val_loss", "final_accuracy", "speed"};
inline constexpr std::array<const char*, 2> figure_formats{"png", "svg"};

/// Run in OUT, the script writes OUT/<name>.<format> for every figure name and format, followed
/// by the gnuplot variable `suffix` when it is set (gnuplot -e "suffix='.partial'"), so that a
/// caller can draw into temp files and rename them once all succeeded.
std::string plot_script(const plot_layout& layout);

}  // namespace notmnist
