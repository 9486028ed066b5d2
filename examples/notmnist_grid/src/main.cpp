// notmnist_grid: the command line. Everything else is in the commands (commands.hpp).
#include "commands.hpp"

#include <CLI/CLI.hpp>

#include <iostream>
#include <string>
#include <unistd.h>

namespace {

using namespace notmnist;

struct cli_values {
  grid_options grid;
  std::vector<std::string> cells{"gru", "mgu"};
  std::string data, shard, preset;
  std::vector<std::filesystem::path> merge_inputs;
  std::filesystem::path merge_out;
};

// `--preset quick`: a few-minute tour. Options given explicitly still win.
void apply_preset(CLI::App& app, cli_values& v) {
  if (v.preset.empty()) return;
  if (v.preset != "quick") throw CLI::ValidationError("--preset", "unknown preset '" + v.preset + "' (known: quick)");
  auto unset = [&](const char* name) { return app.get_option(name)->count() == 0; };
  if (unset("--seeds")) v.grid.spec.seeds = 1;
  if (unset("--epochs")) v.grid.protocol.epochs = 2;
  if (unset("--layers")) v.grid.spec.layers = {1};
  if (unset("--hidden")) v.grid.spec.hidden = {50, 128};
}

void add_grid_options(CLI::App& app, cli_values& v) {
  auto& g = v.grid;
  app.add_option("--data", v.data, "notMNIST_small folder tree or .tar.gz (default: ./data/, then ../shared/data/)");
  app.add_option("--cells", v.cells, "cells to run")->delimiter(',')->check(CLI::IsMember({"gru", "mgu"}, CLI::ignore_case));
  app.add_option("--layers", g.spec.layers, "stack depths")->delimiter(',')->check(CLI::PositiveNumber);
  app.add_option("--hidden", g.spec.hidden, "hidden widths")->delimiter(',')->check(CLI::PositiveNumber);
  app.add_option("--seeds", g.spec.seeds, "seeds per config: 1000, 1001, ...")->check(CLI::PositiveNumber);
  app.add_option("--epochs", g.protocol.epochs, "epochs per run")->check(CLI::PositiveNumber);
  app.add_option("--batch", g.protocol.batch, "batch size")->check(CLI::PositiveNumber);
  app.add_option("--lr", g.protocol.lr, "Adam learning rate")->check(CLI::PositiveNumber);
  app.add_option("--split-seed", g.protocol.split_seed, "seed of the 80/20 train/validation split");
  app.add_option("--out", g.out, "output folder (rerun with the same one to resume)");
  app.add_option("--jobs", g.jobs, "runs at once, each on one BLAS thread")->check(CLI::PositiveNumber);
  app.add_option("--shard", v.shard, "run only share i of n of the grid, e.g. 2/4 (combine with `merge`)");
  app.add_option("--preset", v.preset, "quick: 1 seed, 2 epochs, layers 1, hidden 50,128");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"notMNIST GRU-vs-MGU grid: trains every (cell, layers, hidden, seed) run and writes histories, "
               "tables and plots. Defaults are the seed lab's full grid."};
  cli_values v;
  add_grid_options(app, v);
  CLI::App* merge = app.add_subcommand("merge", "merge shard output folders into one set of tables and plots");
  merge->add_option("folders", v.merge_inputs, "shard output folders")->required()->check(CLI::ExistingDirectory);
  merge->add_option("--out", v.merge_out, "merged output folder")->required();
  CLI::App* data = app.add_subcommand("data", "load the dataset and report counts, split and unreadable files");
  data->fallthrough();  // takes --data and --split-seed from the main options
  app.require_subcommand(0, 1);

  try {
    app.parse(argc, argv);
    apply_preset(app, v);
    std::optional<std::filesystem::path> data_path;
    if (!v.data.empty()) data_path = v.data;
    if (*merge) return merge_command(v.merge_inputs, v.merge_out);
    if (*data) return data_command(data_path, v.grid.protocol.split_seed);
    v.grid.data = data_path;
    v.grid.spec.cells.clear();
    for (const auto& c : v.cells) v.grid.spec.cells.push_back(parse_cell(c));
    if (!v.shard.empty()) v.grid.share = parse_shard(v.shard);
    v.grid.live_bar = ::isatty(STDOUT_FILENO) != 0;
    return grid_command(v.grid);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? exit_ok : exit_bad_input;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return exit_bad_input;
  }
}
