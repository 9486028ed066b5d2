// The grid's output files exist, parse, and hold what the issue asks for; failures are recorded
// and never averaged; unsupported configurations are refused with the supported list.
#include "output_files.hpp"
#include "program.hpp"
#include "synthetic_data.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

namespace notmnist {
using namespace testing;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> tiny_grid(const temp_dir& dir, std::vector<std::string> extra) {
  write_synthetic_dataset(dir.path() / "data", 10);
  std::vector<std::string> args{"--data", (dir.path() / "data").string(), "--layers", "1", "--hidden", "50",
                                "--out", (dir.path() / "out").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

void check_plot_files(const fs::path& out) {
  for (const char* name : {"val_accuracy", "val_loss"}) {
    const std::string png = read_text(out / (std::string(name) + ".png"));
    CHECK(png.size() > 10000);
    CHECK(png.starts_with("\x89PNG\r\n\x1a\n"));
    const std::string svg = read_text(out / (std::string(name) + ".svg"));
    CHECK(svg.find("<svg") != std::string::npos);
    CHECK(svg.find("1 layer, hidden 50") != std::string::npos);  // the config's panel
    CHECK(svg.find("</svg>") != std::string::npos);
  }
  // ... drawn from the config's curves.
  CHECK(read_text(out / "plot_data" / "plots.gp").find("'plot_data/GRU_1l_50h.dat'") != std::string::npos);
}

}  // namespace

TEST_SUITE("grid") {
TEST_CASE("histories, tables and plots are written and parse") {
  temp_dir dir("notmnist-grid");
  const auto r = run_grid_program(tiny_grid(dir, {"--epochs", "3", "--seeds", "2", "--jobs", "2"}));
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  const fs::path out = dir.path() / "out";
  CHECK(r.output.find("MGU_1l_50h   seed 1001  epoch  3/3  loss ") != std::string::npos);
  CHECK(r.output.find("ETA ") != std::string::npos);

  for (const char* cell : {"GRU", "MGU"}) {
    const auto h = read_json(out / ("histories_" + std::string(cell) + ".json"));
    CHECK(h["cell"] == cell);
    CHECK(h["protocol"]["epochs"] == 3);
    CHECK(h["dataset"]["images"] == 100);
    CHECK(h["dataset"]["skipped_files"].is_array());
    const auto& config = h["configs"][std::string(cell) + "_1l_50h"];
    CHECK(config["parameter_count"] == (std::string(cell) == "GRU" ? 12360 : 8410));
    REQUIRE(config["runs"].size() == 2);
    for (const auto& run : config["runs"]) {
      for (const char* key : {"loss", "accuracy", "val_loss", "val_accuracy", "seconds_per_epoch"})
        CHECK_MESSAGE(run[key].size() == 3, key);
      CHECK(run["status"] == "ok");
    }
  }
  const std::string csv = read_text(out / "results.csv");
  CHECK(csv.starts_with("config,cell,layers,hidden,runs,ok_runs,failed_runs,mean_val_accuracy,std_val_accuracy,error,"));
  CHECK(csv.find("\nGRU_1l_50h,GRU,1,50,2,2,0,") != std::string::npos);
  CHECK(csv.find("\nMGU_1l_50h,MGU,1,50,2,2,0,") != std::string::npos);
  const std::string md = read_text(out / "results.md");
  CHECK(md.find("| GRU_1l_50h | 2/2 | ") != std::string::npos);
  CHECK(md.find("| MGU_1l_50h | 2/2 | ") != std::string::npos);
  check_plot_files(out);
}

TEST_CASE("a NaN loss records the run as failed, the grid goes on, the table does not average it") {
  temp_dir dir("notmnist-grid");
  // A learning rate of 1e38 overflows the weights within the first epoch.
  const auto r = run_grid_program(tiny_grid(dir, {"--epochs", "2", "--lr", "1e38", "--seeds", "1"}));
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("FAILED GRU_1l_50h_seed1000: training loss became") != std::string::npos);
  CHECK(r.output.find("FAILED MGU_1l_50h_seed1000: training loss became") != std::string::npos);
  const auto run = read_json(dir.path() / "out" / "runs" / "GRU_1l_50h_seed1000.json");
  CHECK(run["status"] == "failed");
  CHECK(run["failure"]["epoch"] == 1);
  const std::string md = read_text(dir.path() / "out" / "results.md");
  CHECK(md.find("| GRU_1l_50h | 0/1 (1 failed) | - | - | - |") != std::string::npos);
  CHECK(md.find("- GRU_1l_50h, seed 1000: training loss became") != std::string::npos);
  CHECK(read_text(dir.path() / "out" / "results.csv").find("\nGRU_1l_50h,GRU,1,50,1,0,1,,,,") != std::string::npos);
}

TEST_CASE("--preset quick: 1 seed, layers 1, hidden 50 and 128, 2 epochs unless given") {
  temp_dir dir("notmnist-grid");
  write_synthetic_dataset(dir.path() / "data", 10);
  const auto r = run_grid_program({"--data", (dir.path() / "data").string(), "--preset", "quick", "--epochs", "1", "--out",
                                   (dir.path() / "out").string()});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(r.output.find("grid: 4 runs (1 epochs, batch 32, lr 0.001, split seed 0)") != std::string::npos);
  for (const char* run : {"GRU_1l_50h_seed1000", "GRU_1l_128h_seed1000", "MGU_1l_50h_seed1000", "MGU_1l_128h_seed1000"})
    CHECK_MESSAGE(fs::exists(dir.path() / "out" / "runs" / (std::string(run) + ".json")), run);
}

TEST_CASE("without gnuplot the program says so and writes everything else") {
  temp_dir dir("notmnist-grid");
  auto args = tiny_grid(dir, {"--epochs", "1", "--seeds", "1"});
  args.insert(args.begin(), {"env", "PATH=/nonexistent", NOTMNIST_GRID_EXE});
  const auto r = run_process(args);
  CHECK_MESSAGE(r.exit_code == 0, r.output);
  CHECK(r.output.find("plots: gnuplot not found") != std::string::npos);
  const fs::path out = dir.path() / "out";
  for (const char* file : {"results.md", "results.csv", "histories_GRU.json", "plot_data/plots.gp", "plot_data/GRU_1l_50h.dat"})
    CHECK_MESSAGE(fs::exists(out / file), file);
  CHECK_FALSE(fs::exists(out / "val_accuracy.png"));
}

TEST_CASE("a width or depth not compiled in is refused with the supported values, exit 2") {
  temp_dir dir("notmnist-grid");
  const auto r = run_grid_program(tiny_grid(dir, {"--hidden", "64", "--seeds", "1"}));
  CHECK(r.exit_code == 2);
  CHECK_MESSAGE(r.output == "error: --hidden must be a comma-separated list of distinct values from 50, 128, 256, got '50,64'\n",
                r.output);
}
}

}  // namespace notmnist
