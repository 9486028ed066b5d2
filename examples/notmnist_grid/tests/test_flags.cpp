// Every value of every flag of every subcommand is checked before any work: a missing value, a
// non-number, NaN, infinity, zero, a negative and a huge value each end with exit code 2 and one
// line naming the flag (and nothing written to the working folder).
#include "program.hpp"
#include "synthetic_data.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <optional>

namespace notmnist {
using namespace testing;
namespace fs = std::filesystem;

namespace {

struct flag_row {
  std::vector<std::string> command;  // what comes before the flag
  std::string flag;
  std::vector<std::string> accepted;  // values of the list below that are valid for this flag
};

// `std::nullopt` is the missing value: the flag ends the command line.
const std::vector<std::optional<std::string>> hostile_values{
    std::nullopt, "abc", "nan", "inf", "0", "-1", "1e39", "1e999", "99999999999999999999999"};

const std::vector<flag_row> numeric_flags{
    {{}, "--cells", {}},
    {{}, "--layers", {}},
    {{}, "--hidden", {}},
    {{}, "--seeds", {}},
    {{}, "--epochs", {}},
    {{}, "--batch", {}},
    {{}, "--lr", {"99999999999999999999999"}},  // 1e23: a silly rate, but within (0, 1e38]
    {{}, "--dropout", {"0"}},                    // [0, 1): 0 is the seed protocol
    {{}, "--recurrent-dropout", {"0"}},
    {{}, "--split-seed", {"0"}},
    {{}, "--jobs", {}},
    {{}, "--shard", {}},
    {{}, "--preset", {}},
    {{"data"}, "--batch", {}},
    {{"data"}, "--split-seed", {"0"}},
};

int line_count(const std::string& output) { return int(std::count(output.begin(), output.end(), '\n')); }

void check_refused(const std::vector<std::string>& args, const std::string& flag, const fs::path& cwd) {
  const auto r = run_grid_program(args, cwd);
  std::string shown;
  for (const auto& a : args) shown += a + " ";
  CHECK_MESSAGE(r.exit_code == 2, shown << "-> " << r.output);
  CHECK_MESSAGE(line_count(r.output) == 1, shown << "-> " << r.output);
  CHECK_MESSAGE(r.output.starts_with("error: " + flag), shown << "-> " << r.output);
  CHECK_MESSAGE(fs::is_empty(cwd), shown << "wrote into the working folder");
}

}  // namespace

TEST_SUITE("flags") {
TEST_CASE("each numeric or named flag refuses a missing value, text, NaN, infinity, zero, negatives, huge values") {
  temp_dir cwd("notmnist-flags");
  for (const auto& row : numeric_flags)
    for (const auto& value : hostile_values) {
      if (value && std::find(row.accepted.begin(), row.accepted.end(), *value) != row.accepted.end()) continue;
      std::vector<std::string> args = row.command;
      args.push_back(row.flag);
      if (value) args.push_back(*value);
      check_refused(args, row.flag, cwd.path());
    }
}

TEST_CASE("messages say what is allowed and what was given") {
  temp_dir cwd("notmnist-flags");
  auto output = [&](std::vector<std::string> args) { return run_grid_program(args, cwd.path()).output; };
  CHECK(output({"--epochs", "0"}) == "error: --epochs must be an integer from 1 to 100000, got '0'\n");
  CHECK(output({"--lr", "nan"}) == "error: --lr must be a finite number > 0 and <= 1e+38, got 'nan'\n");
  CHECK(output({"--lr", "inf"}) == "error: --lr must be a finite number > 0 and <= 1e+38, got 'inf'\n");
  CHECK(output({"--batch"}) == "error: --batch needs a value\n");
  CHECK(output({"--split-seed", "-1"}) == "error: --split-seed must be an integer from 0 to 18446744073709551615, got '-1'\n");
  CHECK(output({"--layers", "1,1"}) == "error: --layers must be a comma-separated list of distinct values from 1, 2, 3, got '1,1'\n");
  CHECK(output({"--hidden", "64"}) ==
        "error: --hidden must be a comma-separated list of distinct values from 50, 128, 256, got '64'\n");
  CHECK(output({"--cells", "gru,lstm"}) == "error: --cells must be a comma-separated list of distinct names from gru, mgu, got 'gru,lstm'\n");
  CHECK(output({"--shard", "3/2"}) == "error: --shard must be i/n with integers 1 <= i <= n, e.g. 2/4, got '3/2'\n");
  CHECK(output({"--preset", "slow"}) == "error: --preset must be one of: quick, got 'slow'\n");
  for (const char* flag : {"--dropout", "--recurrent-dropout"})
    for (const char* value : {"-0.1", "1", "abc", "1.5", "nan", "0.2x", ""})
      CHECK(output({flag, value}) == "error: " + std::string(flag) + " must be a number in [0, 1), got '" + value + "'\n");
  CHECK(output({"--recurrent-dropout"}) == "error: --recurrent-dropout needs a value\n");
  CHECK(fs::is_empty(cwd.path()));
}

TEST_CASE("path flags refuse a missing or empty value; merge needs folders and --out") {
  temp_dir cwd("notmnist-flags");
  for (const char* flag : {"--data", "--out"}) {
    check_refused({flag}, flag, cwd.path());
    check_refused({flag, ""}, flag, cwd.path());
    check_refused({"data", flag}, flag, cwd.path());
  }
  check_refused({"merge", "shard1", "--out"}, "--out", cwd.path());
  check_refused({"merge", "shard1", "--out", ""}, "merge --out", cwd.path());
  check_refused({"merge", "shard1"}, "merge --out", cwd.path());
  check_refused({"merge", "--out", "merged"}, "merge needs", cwd.path());
  check_refused({"--epochs", "0", "merge", "shard1", "--out", "merged"}, "--epochs", cwd.path());
  check_refused({"merge", "shard1", "--out", "merged"}, "merge: 'shard1' is not a folder", cwd.path());
}

TEST_CASE("an --out that cannot be created or written is refused before the data loads, naming the path") {
  temp_dir dir("notmnist-flags");
  write_synthetic_dataset(dir.path() / "data", 2);
  std::ofstream(dir.path() / "file") << "not a folder\n";
  const fs::path under_file = dir.path() / "file" / "out";
  for (const auto& [out, problem] : {std::pair{under_file, std::string(": cannot create the folder: Not a directory")},
                                     std::pair{dir.path() / "file", std::string(" exists and is not a folder")}}) {
    const auto r = run_grid_program({"--data", (dir.path() / "data").string(), "--out", out.string()});
    CHECK(r.exit_code == 2);
    CHECK_MESSAGE(r.output == "error: --out '" + out.string() + "'" + problem + "\n", r.output);
  }
  const auto merged = run_grid_program({"merge", dir.path().string(), "--out", under_file.string()});
  CHECK(merged.exit_code == 2);
  CHECK_MESSAGE(merged.output == "error: merge --out '" + under_file.string() + "': cannot create the folder: Not a directory\n",
                merged.output);
}
}

}  // namespace notmnist
