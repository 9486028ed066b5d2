#include "report/plot_script.hpp"

#include "report/gnuplot_text.hpp"

#include <algorithm>
#include <sstream>
#include <vector>

namespace notmnist {
namespace {

constexpr std::array<const char*, plot_cells.size()> cell_colours{"#0072B2", "#D55E00"};  // GRU blue, MGU orange
constexpr const char* failure_colour = "#B00020";

std::string plural(int n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

std::string position_label(const plot_position& p) { return std::to_string(p.layers) + "x" + std::to_string(p.hidden); }

std::size_t seeds_per_config(const plot_layout& layout) {
  std::size_t most = 0;
  for (const auto& p : layout.positions)
    for (const config_summary* s : p.cells)
      if (s) most = std::max(most, s->runs);
  return most;
}

// "2 of 3 MGU runs failed" lines of one position, empty when none failed.
std::string failure_note(const plot_position& p) {
  std::string note;
  for (const config_summary* s : p.cells) {
    if (!s || s->failures.empty()) continue;
    if (!note.empty()) note += "\\n";  // a new line in gnuplot's double-quoted strings
    note += std::to_string(s->failures.size()) + " of " + std::to_string(s->runs) + " " + cell_name(s->config.cell) +
            " runs failed";
  }
  return note;
}

// x positions 0, 1, ... labelled "layers x hidden", with dotted lines between depths.
void position_axis(std::ostream& gp, const plot_layout& layout) {
  gp << "set xrange [-0.6:" << double(layout.positions.size()) - 0.4 << "]\nset xtics (";
  for (std::size_t i = 0; i < layout.positions.size(); ++i)
    gp << (i ? ", " : "") << "'" << position_label(layout.positions[i]) << "' " << i;
  gp << ") nomirror\nset xlabel 'layers x hidden'\n";
  for (std::size_t i = 1; i < layout.positions.size(); ++i)
    if (layout.positions[i].layers != layout.positions[i - 1].layers)
      gp << "set arrow from " << double(i) - 0.5 << ", graph 0 to " << double(i) - 0.5
         << ", graph 1 nohead dt 3 lc rgb '#999999'\n";
}

bool finished(const config_summary* s) { return s && !s->final_accuracies.empty(); }

// Whether any position satisfies `test`: gnuplot 5.4 crashes on a labels plot without one defined
// point in a one-line file, so a figure leaves out every plot element that would have none.
template <class Test>
bool any_position(const plot_layout& layout, Test test) {
  return std::any_of(layout.positions.begin(), layout.positions.end(), test);
}

// The plot elements of a figure, joined into one plot command.
std::string plot_command(const std::vector<std::string>& elements) {
  std::string command = "plot NaN notitle";
  for (const auto& e : elements) command += ", \\\n  " + e;
  return command + "\n";
}

// "GRU: 1/3 failed" at height y at each pair with failures, when there is one. gnuplot draws a
// label whose string is empty as the data's third column, so a label that must not show gets an
// undefined y. Columns 6/7 and 13/14: successful and recorded runs of each cell.
void add_failure_labels(std::vector<std::string>& elements, const plot_layout& layout, double y) {
  if (!any_position(layout, [](const plot_position& p) { return !failure_note(p).empty(); })) return;
  std::ostringstream e;
  e << quoted(configs_file) << " using 1:(($7 > $6 || $14 > $13) ? " << y
    << " : NaN):(($7 > $6 ? sprintf('GRU: %d/%d failed', $7 - $6, $7) : '') . ($7 > $6 && $14 > $13 ? \"\\n\" : '') . "
    << "($14 > $13 ? sprintf('MGU: %d/%d failed', $14 - $13, $14) : '')) with labels offset 0,-1.5 tc rgb '"
    << failure_colour << "' font ',10' notitle";
  elements.push_back(e.str());
}

bool both_finished(const plot_position& p) { return finished(p.cells[0]) && finished(p.cells[1]); }

struct metric {
  const char* name;    // figure name
  const char* title;   // of the figure, capitalised
  const char* label;   // of the y axis
  int mean_column;     // in the curve files; the std is the next column
  const char* key_at;  // where the first panel's key sits: the corner the curves leave free
};

// Figure size of the small multiples and their margins, fixed in pixels whatever the panel count.
constexpr int panel_width = 460, panel_height = 330, left_px = 85, right_px = 20, bottom_px = 55, top_px = 85;
int curves_width(const plot_layout& layout) {
  return left_px + right_px + panel_width * int(std::max<std::size_t>(1, layout.hidden.size()));
}
int curves_height(const plot_layout& layout) {
  return bottom_px + top_px + panel_height * int(std::max<std::size_t>(1, layout.layers.size()));
}

void curves_figure(std::ostream& gp, const plot_layout& layout, const metric& m) {
  const bool lab = m.mean_column == 2 && layout.seed_lab_shown;  // the seed lab published accuracies only
  value_range range;  // from the fifth of the epochs on: the first epochs' fall would flatten the rest
  for (const auto& p : layout.positions)
    for (const config_summary* s : p.cells) {
      if (!s) continue;
      const auto& curve = m.mean_column == 2 ? s->val_accuracy_curve : s->val_loss_curve;
      for (std::size_t e = layout.epochs / 5; e < curve.size(); ++e) {
        range.add(curve[e].mean - curve[e].std);
        range.add(curve[e].mean + curve[e].std);
      }
      if (lab && s->seed_lab) {
        range.add(s->seed_lab->accuracy - s->seed_lab->std);
        range.add(s->seed_lab->accuracy + s->seed_lab->std);
      }
    }
  const double last = double(std::max<std::size_t>(1, layout.epochs));  // no finished epoch: any valid x range
  const double width = curves_width(layout), height = curves_height(layout);
  std::ostringstream margins;  // screen fractions: left, right, bottom, top, then the gaps between panels
  margins << left_px / width << "," << 1 - right_px / width << "," << bottom_px / height << "," << 1 - top_px / height
          << " spacing " << 60 / width << "," << 85 / height;
  gp << "set multiplot layout " << layout.layers.size() << "," << layout.hidden.size() << " title \"" << m.title
     << " per epoch: mean and band of ± 1 std over " << plural(int(seeds_per_config(layout)), "seed")
     << (lab ? "; diamond: the seed lab's final value ± std" : "")
     << "\" font ',14' margins " << margins.str() << "\n"
     << "set grid\nset xrange [0.5:" << last + (lab ? 1.4 : 0.5) << "]\nset xtics "
     << std::max<std::size_t>(1, layout.epochs / 5) << "\nset yrange " << range.padded(0.06, 0.06) << "\n"
     << "set style fill transparent solid 0.2 noborder\n";
  const int mean = m.mean_column, spread = m.mean_column + 1;
  for (std::size_t row = 0; row < layout.layers.size(); ++row)
    for (std::size_t col = 0; col < layout.hidden.size(); ++col) {
      const int l = layout.layers[row], h = layout.hidden[col];
      const int k = layout.position_index(l, h);
      gp << "set title '" << plural(l, "layer") << ", hidden " << h << "' font ',12'\n"
         << (row + 1 == layout.layers.size() ? "set xlabel 'epoch'\n" : "unset xlabel\n")
         << (col == 0 ? std::string("set ylabel '") + m.label + "'\n" : "unset ylabel\n")
         << (row == 0 && col == 0 ? std::string("set key ") + m.key_at + " box opaque samplen 2\n" : "unset key\n")
         << "unset label\n";
      if (k < 0) gp << "set label 'no runs' at graph 0.5, graph 0.5 center tc rgb '#777777'\n";
      const std::string note = k < 0 ? "" : failure_note(layout.positions[std::size_t(k)]);
      if (!note.empty())
        gp << "set label \"" << note << "\" at graph 0.03, graph " << (mean == 2 ? 0.1 : 0.9) << " tc rgb '"
           << failure_colour << "' front\n";
      gp << "plot NaN notitle";
      if (row == 0 && col == 0) {
        for (std::size_t c = 0; c < 2; ++c)
          gp << ", NaN with lines lw 2.5 lc rgb '" << cell_colours[c] << "' title '" << cell_name(plot_cells[c]) << "'";
        if (lab) gp << ", NaN with points pt 12 ps 1.6 lw 1.5 lc rgb '#333333' title 'seed lab'";
      }
      for (std::size_t c = 0; k >= 0 && c < 2; ++c) {
        const config_summary* s = layout.positions[std::size_t(k)].cells[c];
        if (!s || s->val_accuracy_curve.empty()) continue;
        const std::string file = quoted(curve_file(*s)), colour = "lc rgb '" + std::string(cell_colours[c]) + "'";
        gp << ", \\\n  " << file << " using 1:($" << mean << "-$" << spread << "):($" << mean << "+$" << spread
           << ") with filledcurves " << colour << " notitle, \\\n  " << file << " using 1:" << mean
           << (layout.epochs < 4 ? " with linespoints pt 7 ps 0.8" : " with lines") << " lw 2.5 " << colour << " notitle";
        if (lab && s->seed_lab)
          gp << ", \\\n  '" << configs_file << "' every ::" << k << "::" << k << " using (" << last + 0.35 + 0.4 * double(c)
             << "):" << 9 + 7 * c << ":" << 10 + 7 * c << " with yerrorbars pt 12 ps 1.6 lw 1.5 " << colour << " notitle";
      }
      gp << "\n";
    }
  gp << "unset multiplot\n";
}

void final_accuracy_figure(std::ostream& gp, const plot_layout& layout) {
  value_range range;
  for (const auto& p : layout.positions)
    for (const config_summary* s : p.cells) {
      if (!s) continue;
      for (double a : s->final_accuracies) range.add(a);
      if (!s->final_accuracies.empty()) {
        range.add(s->val_accuracy.mean - s->val_accuracy.std);
        range.add(s->val_accuracy.mean + s->val_accuracy.std);
      }
      if (layout.seed_lab_shown && s->seed_lab) {
        range.add(s->seed_lab->accuracy - s->seed_lab->std);
        range.add(s->seed_lab->accuracy + s->seed_lab->std);
      }
    }
  const std::string yrange = range.padded(0.25, 0.2);
  gp << "set title \"Final validation accuracy" << (layout.epochs ? " (epoch " + std::to_string(layout.epochs) + ")" : "")
     << ": mean ± 1 std over "
     << plural(int(seeds_per_config(layout)), "seed") << "\\nopen circles: single seeds"
     << (layout.seed_lab_shown ? "; diamonds: the seed lab ± std" : "") << "; above each pair: GRU − MGU\" font ',13'\n"
     << "set ylabel 'final validation accuracy'\nset yrange " << yrange << "\nset grid ytics\n"
     << "set key outside right center vertical\n";
  position_axis(gp, layout);
  const std::string data = quoted(configs_file);
  std::vector<std::string> elements;
  for (std::size_t c = 0; c < 2; ++c) {
    const std::string side = c ? "+" : "-", colour = std::string(" lc rgb '") + cell_colours[c] + "'";
    const std::string name = cell_name(plot_cells[c]);
    const int first = 4 + 7 * int(c);
    if (any_position(layout, [c](const plot_position& p) { return finished(p.cells[c]); })) {
      elements.push_back(data + " using ($1" + side + "0.1):" + std::to_string(first) + ":" + std::to_string(first + 1) +
                         " with yerrorbars pt 7 ps 1.3 lw 2" + colour + " title '" + name + " mean ± std'");
      elements.push_back(quoted(seeds_file) + " using ($2 == " + std::to_string(c) + " ? $1" + side +
                         "0.1 : NaN):3 with points pt 6 ps 0.9" + colour + " notitle");
    }
    const auto has_lab = [c](const plot_position& p) { return p.cells[c] && p.cells[c]->seed_lab; };
    if (layout.seed_lab_shown && any_position(layout, has_lab))
      elements.push_back(data + " using ($1" + side + "0.3):" + std::to_string(first + 5) + ":" + std::to_string(first + 6) +
                         " with yerrorbars pt 12 ps 1.6 lw 1.5" + colour + " title '" + name + " seed lab'");
  }
  if (any_position(layout, both_finished)) {
    std::ostringstream e;
    e << data << " using 1:(($4 == $4 && $11 == $11) ? " << range.hi << " : NaN):(sprintf('%+.4f', $4 - $11)) "
      << "with labels offset 0,1.2 font ',11' notitle";
    elements.push_back(e.str());
  }
  add_failure_labels(elements, layout, range.low());
  gp << plot_command(elements);
}

void speed_figure(std::ostream& gp, const plot_layout& layout) {
  value_range range;
  for (const auto& p : layout.positions)
    for (const config_summary* s : p.cells)
      if (s && !s->final_accuracies.empty()) range.add(s->seconds_per_epoch);
  const double bottom = range.empty() ? 0.1 : range.lo / 2, top = range.empty() ? 1 : range.hi * 8;
  gp << "set title \"Seconds per epoch, training + validation (mean over the successful runs)\\n"
        "above each pair: MGU time / GRU time\" font ',13'\n"
     << "set logscale y\nset yrange [" << bottom << ":" << top << "]\nset ylabel 'seconds per epoch (log scale)'\n"
     << "set grid ytics\nset key top left\nset style fill solid 0.85 noborder\n";
  position_axis(gp, layout);
  const std::string data = quoted(configs_file);
  std::vector<std::string> elements;
  for (std::size_t c = 0; c < 2; ++c) {
    if (!any_position(layout, [c](const plot_position& p) { return finished(p.cells[c]); })) continue;
    const std::string seconds = std::to_string(8 + 7 * c), x = std::string("($1") + (c ? "+" : "-") + "0.17)";
    std::ostringstream bars;  // from the axis' bottom: a log axis has no zero
    bars << data << " using " << x << ":" << seconds << ":(" << x << "-0.15):(" << x << "+0.15):(" << bottom << "):"
         << seconds << " with boxxyerror lc rgb '" << cell_colours[c] << "' title '" << cell_name(plot_cells[c]) << "'";
    elements.push_back(bars.str());
    elements.push_back(data + " using " + x + ":" + seconds + ":(sprintf('%.2g', $" + seconds +
                       ")) with labels offset 0,0.7 font ',9' notitle");
  }
  if (any_position(layout, both_finished))
    elements.push_back(data + " using 1:(($8 == $8 && $15 == $15) ? ($8 > $15 ? $8 : $15) * 1.9 : NaN):"
                              "(sprintf('×%.2f', $15 / $8)) with labels font ',12' notitle");
  add_failure_labels(elements, layout, top / 1.8);  // above the bars and the ratios
  gp << plot_command(elements);
}

}  // namespace

std::string plot_script(const plot_layout& layout) {
  const metric accuracy{"val_accuracy", "Validation accuracy", "validation accuracy", 2, "bottom right"};
  const metric loss{"val_loss", "Validation loss", "validation loss", 4, "top right"};
  const int pairs = int(std::max<std::size_t>(1, layout.positions.size()));
  std::ostringstream gp;
  // notmnist_grid sets `suffix` to draw into temp files and rename them once all succeeded.
  gp << "# Drawn by notmnist_grid; redraw with: cd <out> && gnuplot plot_data/plots.gp\n"
     << "if (!exists('suffix')) suffix = ''\nset encoding utf8\n";
  for (const char* format : figure_formats) {
    auto output = [&](const char* name, int width, int height) {
      gp << "\nreset\nset terminal " << terminal(format, width, height) << "\nset output '" << name << "." << format
         << "'.suffix\n";
    };
    for (const metric& m : {accuracy, loss}) {
      output(m.name, curves_width(layout), curves_height(layout));
      curves_figure(gp, layout, m);
      gp << "unset output\n";
    }
    output("final_accuracy", std::max(900, 260 + 130 * pairs), 620);
    final_accuracy_figure(gp, layout);
    gp << "unset output\n";
    output("speed", std::max(900, 260 + 130 * pairs), 620);
    speed_figure(gp, layout);
    gp << "unset output\n";
  }
  return gp.str();
}

}  // namespace notmnist
