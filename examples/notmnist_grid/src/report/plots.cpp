#include "report/plots.hpp"

#include "grid/subprocess.hpp"
#include "report/plot_data.hpp"
#include "report/plot_script.hpp"

#include <rnncell/detail/atomic_write.hpp>

#include <string>

namespace notmnist {
namespace fs = std::filesystem;

bool write_plots(const fs::path& out, const std::vector<config_summary>& rows, std::ostream& log) {
  if (rows.empty()) {
    log << "plots: no runs to draw\n";
    return false;
  }
  const plot_layout layout = layout_of(rows);
  using rnncell::detail::write_file_atomically;
  for (const auto& s : rows)
    if (!s.val_accuracy_curve.empty()) write_file_atomically(out / curve_file(s), curve_table(s));
  write_file_atomically(out / configs_file, configs_table(layout));
  write_file_atomically(out / seeds_file, seeds_table(layout));
  write_file_atomically(out / "plot_data" / "plots.gp", plot_script(layout));

  const std::string suffix(rnncell::detail::atomic_write_temp_suffix);
  const process_result gnuplot = run_process({"gnuplot", "-e", "suffix='" + suffix + "'", "plot_data/plots.gp"}, out);
  if (gnuplot.exit_code == 127) {
    log << "plots: gnuplot not found (Debian: apt install gnuplot-nox); everything else is written, and "
        << (out / "plot_data" / "plots.gp").string() << " draws them later\n";
    return false;
  }
  for (const char* name : figure_names)
    for (const char* format : figure_formats) {
      const fs::path final_file = out / (std::string(name) + "." + format);
      const fs::path drawn = final_file.string() + suffix;
      if (gnuplot.exit_code == 0)
        fs::rename(drawn, final_file);
      else
        fs::remove(drawn);  // half a figure set must not sit beside the previous, complete one
    }
  if (gnuplot.exit_code != 0) log << "plots: gnuplot failed (exit " << gnuplot.exit_code << "):\n" << gnuplot.output;
  return gnuplot.exit_code == 0;
}

}  // namespace notmnist
