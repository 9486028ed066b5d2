// The committed reproduction (results/seed-grid) is complete and its tables agree with its
// histories: 54 runs of 20 epochs, none failed, and every results.md / results.csv row equals the
// mean, population std and error recomputed here from histories_*.json.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

const std::filesystem::path results_dir = NOTMNIST_COMMITTED_RESULTS;
constexpr int grid_runs = 54, runs_per_config = 3, epochs = 20;

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  REQUIRE_MESSAGE(in, "cannot read " << p.string() << " (are the results committed?)");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct config_summary {
  double mean = 0, std = 0;
};

// Recomputed from the histories: mean and population std of the final val_accuracy.
std::map<std::string, config_summary> summaries_from_histories(int& runs_seen) {
  std::map<std::string, config_summary> out;
  for (const char* file : {"histories_GRU.json", "histories_MGU.json"}) {
    const auto doc = nlohmann::json::parse(read_text(results_dir / file));
    for (const auto& item : doc.at("configs").items()) {
      // Not a structured binding: doctest's CHECK_MESSAGE captures name in a lambda, which
      // clang 14 does not allow for bindings.
      const std::string name = item.key();
      const auto& config = item.value();
      std::vector<double> finals;
      for (const auto& run : config.at("runs")) {
        CHECK_MESSAGE(run.at("status") == "ok", name << " seed " << run.at("seed") << " did not finish");
        for (const char* key : {"loss", "accuracy", "val_loss", "val_accuracy"})
          CHECK_MESSAGE(run.at(key).size() == epochs, name << " seed " << run.at("seed") << " " << key);
        finals.push_back(run.at("val_accuracy").back().get<double>());
        ++runs_seen;
      }
      CHECK_MESSAGE(finals.size() == runs_per_config, name);
      double mean = 0, var = 0;
      for (double a : finals) mean += a / double(finals.size());
      for (double a : finals) var += (a - mean) * (a - mean) / double(finals.size());
      out[name] = {mean, std::sqrt(var)};
    }
  }
  return out;
}

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> cells;
  std::stringstream s(line);
  for (std::string c; std::getline(s, c, sep);) cells.push_back(c);
  return cells;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(' '), e = s.find_last_not_of(' ');
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

}  // namespace

TEST_CASE("committed seed-grid results: complete, and the tables agree with the histories") {
  int runs = 0;
  const auto expected = summaries_from_histories(runs);
  CHECK(runs == grid_runs);
  CHECK(expected.size() == grid_runs / runs_per_config);

  // results.csv: config, ..., mean_val_accuracy (col 7), std (8), error (9)
  std::stringstream csv(read_text(results_dir / "results.csv"));
  std::string line;
  std::getline(csv, line);
  int csv_rows = 0;
  while (std::getline(csv, line)) {
    const auto c = split(line, ',');
    REQUIRE(c.size() >= 10);
    REQUIRE_MESSAGE(expected.count(c[0]), "results.csv names an unknown config " << c[0]);
    const auto& e = expected.at(c[0]);
    CHECK(std::stod(c[7]) == doctest::Approx(e.mean).epsilon(1e-6));
    CHECK(std::stod(c[8]) == doctest::Approx(e.std).epsilon(1e-5));
    CHECK(std::stod(c[9]) == doctest::Approx(1 - e.mean).epsilon(1e-6));
    ++csv_rows;
  }
  CHECK(csv_rows == int(expected.size()));

  // results.md: | Model | Runs ok | Accuracy | ± Std | Error | ..., four decimals
  std::stringstream md(read_text(results_dir / "results.md"));
  int md_rows = 0;
  while (std::getline(md, line)) {
    const auto c = split(line, '|');
    if (c.size() < 6 || !expected.count(trim(c[1]))) continue;
    const auto& e = expected.at(trim(c[1]));
    CHECK(trim(c[2]) == "3/3");
    CHECK(std::stod(c[3]) == doctest::Approx(e.mean).epsilon(0.6e-4));
    CHECK(std::stod(c[4]) == doctest::Approx(e.std).epsilon(0.6e-4));
    CHECK(std::stod(c[5]) == doctest::Approx(1 - e.mean).epsilon(0.6e-4));
    ++md_rows;
  }
  CHECK(md_rows == int(expected.size()));
}
