// The grid's figures are valid PNG and SVG files with one panel per (layers, hidden) position in
// every case a grid can end in: the full grid, a partial grid of one seed, the quick preset, and
// failed runs, which are named in the figures rather than dropped. Drawn from made-up run records:
// no training, a second per case.
#include "figure_files.hpp"
#include "output_files.hpp"
#include "temp_dir.hpp"

#include "report/plots.hpp"
#include "report/summary.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>

namespace notmnist {
using namespace testing;
namespace fs = std::filesystem;

namespace {

// A run whose curves rise like the real ones; MGU a little below GRU, each seed a little apart.
// failed_epoch > 0: the loss became NaN in that epoch, after failed_epoch - 1 finished epochs.
run_record made_up_run(cell_kind cell, int layers, int hidden, int seed, int epochs, int failed_epoch = 0) {
  run_record r;
  r.id = {{cell, layers, hidden}, first_run_seed + std::uint64_t(seed)};
  r.protocol.epochs = epochs;
  r.parameter_count = std::size_t(hidden) * 100;
  const int finished = failed_epoch > 0 ? failed_epoch - 1 : epochs;
  for (int e = 1; e <= finished; ++e) {
    const double gain = 1 - std::exp(-e / 4.0), offset = (cell == cell_kind::mgu ? -0.004 : 0) + 0.002 * seed;
    r.hist.loss.push_back(0.5 - 0.25 * gain);
    r.hist.accuracy.push_back(0.85 + 0.1 * gain + offset);
    r.hist.val_loss.push_back(0.45 - 0.2 * gain);
    r.hist.val_accuracy.push_back(0.84 + 0.1 * gain + offset);
    r.hist.seconds.push_back(epoch_work(r.id.config) * 1e-5);
  }
  if (failed_epoch > 0) {
    r.failed = true;
    r.failed_epoch = failed_epoch;
    r.failure = "training loss became NaN in epoch " + std::to_string(failed_epoch);
  }
  return r;
}

std::vector<run_record> grid_runs(const std::vector<int>& layers, const std::vector<int>& hidden, int seeds, int epochs) {
  std::vector<run_record> runs;
  for (cell_kind cell : {cell_kind::gru, cell_kind::mgu})
    for (int l : layers)
      for (int h : hidden)
        for (int s = 0; s < seeds; ++s) runs.push_back(made_up_run(cell, l, h, s, epochs));
  return runs;
}

// Draws the figures of `runs` and checks every file; returns the SVG text by figure name.
std::map<std::string, std::string> draw(const std::vector<run_record>& runs, std::size_t curve_panels) {
  const temp_dir dir("notmnist-figures");
  std::ostringstream log;
  REQUIRE_MESSAGE(write_plots(dir.path(), summarize(runs), log), log.str());
  std::map<std::string, std::string> svgs;
  for (const char* name : {"val_accuracy", "val_loss", "final_accuracy", "speed"}) {
    CAPTURE(name);
    const fs::path png = dir.path() / (std::string(name) + ".png"), svg = dir.path() / (std::string(name) + ".svg");
    CHECK(fs::file_size(png) > 1000);
    CHECK(is_png(png));
    const std::string text = read_text(svg);
    CHECK(svg_error(text) == "");
    const bool small_multiples = std::string(name).starts_with("val_");
    CHECK(svg_panels(text) == (small_multiples ? curve_panels : 1));
    svgs[name] = text;
  }
  for (const auto& entry : fs::directory_iterator(dir.path()))
    CHECK_MESSAGE(entry.path().extension() != ".partial", entry.path().string());
  return svgs;
}

}  // namespace

TEST_SUITE("figures") {
  TEST_CASE("the file checks catch broken figures") {
    const std::string svg = "<?xml version=\"1.0\"?>\n<svg a='>'><g id=\"gnuplot_plot_1a\"/><g id=\"gnuplot_plot_2b\"></g></svg>";
    CHECK(svg_error(svg) == "");
    CHECK(svg_panels(svg) == 2);
    CHECK(svg_error(svg.substr(0, svg.size() - 6)) != "");  // truncated
    CHECK(svg_error("<html></html>") != "");
    CHECK(svg_error("<svg><g></svg></g>") != "");
    const temp_dir dir("notmnist-figures");
    std::ofstream(dir.path() / "fake.png") << "not a png";
    CHECK_FALSE(is_png(dir.path() / "fake.png"));
  }

  TEST_CASE("the full grid: 3 x 3 panels, the seed lab's values beside 20-epoch curves") {
    const auto svgs = draw(grid_runs({1, 2, 3}, {50, 128, 256}, 3, 20), 9);
    CHECK(svgs.at("val_accuracy").find("seed lab") != std::string::npos);
    CHECK(svgs.at("final_accuracy").find("seed lab") != std::string::npos);
    CHECK(svgs.at("speed").find("×0.") != std::string::npos);  // the MGU/GRU ratio
  }

  TEST_CASE("a partial grid of one seed: a panel per position of the rows and columns present") {
    std::vector<run_record> runs{made_up_run(cell_kind::gru, 1, 50, 0, 20), made_up_run(cell_kind::mgu, 1, 50, 0, 20),
                                 made_up_run(cell_kind::mgu, 2, 128, 0, 20)};
    const auto svgs = draw(runs, 4);  // layers 1, 2 x hidden 50, 128; 1 x 128 and 2 x 50 have no runs
    CHECK(svgs.at("val_accuracy").find("no runs") != std::string::npos);
  }

  TEST_CASE("the quick preset: 1 seed, 2 epochs, 1 layer, hidden 50 and 128") {
    const auto svgs = draw(grid_runs({1}, {50, 128}, 1, 2), 2);
    CHECK(svgs.at("val_accuracy").find("seed lab") == std::string::npos);  // the seed lab trained 20 epochs
  }

  TEST_CASE("one position, with one cell or both (gnuplot 5.4 crashed on such one-line tables)") {
    draw({made_up_run(cell_kind::gru, 1, 50, 0, 3)}, 1);
    draw({made_up_run(cell_kind::gru, 1, 50, 0, 3), made_up_run(cell_kind::mgu, 1, 50, 0, 3)}, 1);
    draw({made_up_run(cell_kind::mgu, 3, 256, 0, 3, 2)}, 1);  // its only run failed
  }

  TEST_CASE("failed runs are named in the figures, a config whose runs all failed keeps its place") {
    std::vector<run_record> runs{made_up_run(cell_kind::gru, 1, 50, 0, 5), made_up_run(cell_kind::gru, 1, 50, 1, 5, 3),
                                 made_up_run(cell_kind::gru, 1, 50, 2, 5)};
    for (int s = 0; s < 3; ++s) runs.push_back(made_up_run(cell_kind::mgu, 1, 50, s, 5, 1));
    runs.push_back(made_up_run(cell_kind::gru, 1, 128, 0, 5));
    const auto svgs = draw(runs, 2);
    CHECK(svgs.at("val_accuracy").find("1 of 3 GRU runs failed") != std::string::npos);
    CHECK(svgs.at("val_accuracy").find("3 of 3 MGU runs failed") != std::string::npos);
    CHECK(svgs.at("final_accuracy").find("GRU: 1/3 failed") != std::string::npos);
    CHECK(svgs.at("final_accuracy").find("MGU: 3/3 failed") != std::string::npos);
  }
}

}  // namespace notmnist
