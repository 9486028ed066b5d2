// notmnist_grid: the command line. Everything else is in the commands (commands.hpp).
// CLI11 splits the command line into strings; every value is then checked by flag_values.hpp
// before any work, so that a bad value ends with one line naming the flag and exit code 2.
#include "commands.hpp"
#include "flag_values.hpp"
#include "grid/supported_grid.hpp"

#include <CLI/CLI.hpp>

#include <iostream>
#include <string>
#include <unistd.h>

namespace {

using namespace notmnist;

// Every value as typed, before checking.
struct cli_text {
  std::string data, seeds, epochs, batch, lr, dropout, recurrent_dropout, split_seed, out, jobs, shard, preset, merge_out;
  std::vector<std::string> cells, layers, hidden, merge_inputs;
};

// Bounds beyond which a value is a typo rather than a plan.
constexpr long long max_epochs = 100000, max_batch = 65536, max_seeds = 1000, max_jobs = 256;
// Adam's step is computed in float: a larger rate overflows it before the first update.
constexpr double max_lr = 1e38;

void add_grid_options(CLI::App& app, cli_text& t) {
  app.add_option("--data", t.data, "notMNIST_small folder tree or .tar.gz (default: ./data/, then ../shared/data/)");
  app.add_option("--cells", t.cells, "cells to run: gru,mgu")->delimiter(',');
  app.add_option("--layers", t.layers, "stack depths")->delimiter(',');
  app.add_option("--hidden", t.hidden, "hidden widths")->delimiter(',');
  app.add_option("--seeds", t.seeds, "seeds per config: 1000, 1001, ... (default 3)");
  app.add_option("--epochs", t.epochs, "epochs per run (default 20)");
  app.add_option("--batch", t.batch, "batch size (default 32)");
  app.add_option("--lr", t.lr, "Adam learning rate (default 1e-3)");
  app.add_option("--dropout", t.dropout,
                 "input dropout of every layer, in [0, 1): Keras' dropout, training only (default 0, the seed protocol)");
  app.add_option("--recurrent-dropout", t.recurrent_dropout,
                 "recurrent dropout of every layer, in [0, 1): Keras' recurrent_dropout, training only (default 0)");
  app.add_option("--split-seed", t.split_seed, "seed of the 80/20 train/validation split (default 0)");
  app.add_option("--out", t.out, "output folder (rerun with the same one to resume)");
  app.add_option("--jobs", t.jobs, "runs at once, each on one BLAS thread (default 1)");
  app.add_option("--shard", t.shard, "run only share i of n of the grid, e.g. 2/4 (combine with `merge`)");
  app.add_option("--preset", t.preset, "quick: 1 seed, 2 epochs, layers 1, hidden 50,128");
}

// The grid's options from the checked values. `--preset quick` sets defaults that options given
// explicitly still override.
grid_options checked_grid_options(const CLI::App& app, const cli_text& t) {
  auto given = [&](const char* flag) { return app.get_option(flag)->count() > 0; };
  grid_options g;
  const bool quick = given("--preset");
  if (quick && t.preset != "quick") throw flag_error("--preset must be one of: quick, got '" + t.preset + "'");
  if (quick) {
    g.spec.seeds = 1;
    g.spec.layers = {1};
    g.spec.hidden = {50, 128};
    g.protocol.epochs = 2;
  }
  if (given("--data")) g.data = parse_path_flag("--data", t.data);
  if (given("--cells")) {
    static constexpr std::string_view names[] = {"gru", "mgu"};
    g.spec.cells.clear();
    for (const auto& name : parse_name_choices_flag("--cells", t.cells, names)) g.spec.cells.push_back(parse_cell(name));
  }
  if (given("--layers")) g.spec.layers = parse_int_choices_flag("--layers", t.layers, supported_layers);
  if (given("--hidden")) g.spec.hidden = parse_int_choices_flag("--hidden", t.hidden, supported_hidden);
  if (given("--seeds")) g.spec.seeds = int(parse_integer_flag("--seeds", t.seeds, 1, max_seeds));
  if (given("--epochs")) g.protocol.epochs = int(parse_integer_flag("--epochs", t.epochs, 1, max_epochs));
  if (given("--batch")) g.protocol.batch = int(parse_integer_flag("--batch", t.batch, 1, max_batch));
  if (given("--lr")) g.protocol.lr = parse_real_flag("--lr", t.lr, 0, max_lr);
  if (given("--dropout")) g.protocol.dropout = parse_rate_flag("--dropout", t.dropout);
  if (given("--recurrent-dropout"))
    g.protocol.recurrent_dropout = parse_rate_flag("--recurrent-dropout", t.recurrent_dropout);
  if (given("--split-seed")) g.protocol.split_seed = parse_unsigned_flag("--split-seed", t.split_seed);
  if (given("--out")) g.out = parse_path_flag("--out", t.out);
  if (given("--jobs")) g.jobs = int(parse_integer_flag("--jobs", t.jobs, 1, max_jobs));
  if (given("--shard")) g.share = parse_shard(t.shard);
  return g;
}

// A missing value is reported by CLI11 as "--epochs: 1 required TEXT missing".
std::string parse_error_line(const CLI::ParseError& e) {
  const std::string what = e.what();
  const auto colon = what.find(": ");
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) && colon != std::string::npos && what.ends_with(" missing"))
    return what.substr(0, colon) + " needs a value";
  return what + " (--help lists the options)";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"notMNIST GRU-vs-MGU grid: trains every (cell, layers, hidden, seed) run and writes histories, "
               "tables and plots. Defaults are the seed lab's full grid."};
  cli_text t;
  add_grid_options(app, t);
  CLI::App* merge = app.add_subcommand("merge", "merge shard output folders into one set of tables and plots");
  merge->add_option("folders", t.merge_inputs, "shard output folders");
  merge->add_option("--out", t.merge_out, "merged output folder");
  CLI::App* data = app.add_subcommand("data", "load the dataset and report counts, split and unreadable files");
  data->fallthrough();  // takes --data, --split-seed and --batch from the main options
  app.require_subcommand(0, 1);

  try {
    app.parse(argc, argv);
    grid_options g = checked_grid_options(app, t);
    if (*merge) {
      if (t.merge_inputs.empty()) throw flag_error("merge needs at least one shard folder: merge DIR... --out NEW");
      if (merge->get_option("--out")->count() == 0) throw flag_error("merge --out is required: the folder to merge into");
      std::vector<std::filesystem::path> inputs;
      for (const auto& folder : t.merge_inputs) inputs.emplace_back(parse_path_flag("merge's folder", folder));
      return merge_command(inputs, parse_path_flag("merge --out", t.merge_out));
    }
    if (*data) return data_command(g.data, g.protocol.split_seed, g.protocol.batch);
    g.live_bar = ::isatty(STDOUT_FILENO) != 0;
    return grid_command(g);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    std::cerr << "error: " << parse_error_line(e) << "\n";
    return exit_bad_input;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return exit_bad_input;
  }
}
