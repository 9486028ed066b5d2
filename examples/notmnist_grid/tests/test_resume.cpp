// Resume: a grid killed (SIGKILL) after its first run finished, then rerun with the same --out,
// finishes the rest, keeps the finished run as it was and duplicates nothing.
#include "output_files.hpp"
#include "program.hpp"
#include "synthetic_data.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <set>
#include <sys/wait.h>
#include <thread>

namespace notmnist {
using namespace testing;
namespace fs = std::filesystem;

namespace {

std::size_t count_files(const fs::path& folder, const std::string& extension) {
  std::size_t n = 0;
  if (fs::is_directory(folder))
    for (const auto& entry : fs::directory_iterator(folder)) n += entry.path().extension() == extension;
  return n;
}

// Four runs of several epochs each, one at a time, so that a signal sent when the first run's
// file appears lands while the second run trains.
std::vector<std::string> four_runs(const fs::path& dir) {
  write_synthetic_dataset(dir / "data", 60);
  return {"--data", (dir / "data").string(), "--cells", "gru,mgu", "--layers", "1", "--hidden", "50",
          "--seeds", "2", "--epochs", "24", "--jobs", "1", "--out", (dir / "out").string()};
}

// Starts the grid, sends `signal` once its first run is on disk; returns the wait status. Fails,
// naming the wait, if no run is on disk after 5 minutes (a slow build: the grid is then killed);
// a grid that ends by itself first is returned as it ended, for the caller to report.
int signal_after_first_run(const std::vector<std::string>& args, const fs::path& dir, int signal) {
  const int pid = start_grid_program(args, dir / "first.log");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  int status = 0;
  while (count_files(dir / "out" / "runs", ".json") == 0) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return status;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      FAIL("no run of the grid finished within 5 minutes; its log: " << read_text(dir / "first.log"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(pid, signal);
  ::waitpid(pid, &status, 0);
  return status;
}

}  // namespace

TEST_SUITE("resume") {
TEST_CASE("kill -9 after the first run, rerun: the rest is run once, the first is kept") {
  temp_dir dir("notmnist-resume");
  const fs::path out = dir.path() / "out";
  const auto args = four_runs(dir.path());
  const int status = signal_after_first_run(args, dir.path(), SIGKILL);
  REQUIRE_MESSAGE(WIFSIGNALED(status), "the grid ended before it could be killed: " << read_text(dir.path() / "first.log"));
  const auto first_runs = run_files(out);
  REQUIRE(first_runs.size() >= 1);
  REQUIRE(first_runs.size() < 4);

  const auto rerun = run_grid_program(args);
  REQUIRE_MESSAGE(rerun.exit_code == 0, rerun.output);
  CHECK(rerun.output.find(std::to_string(first_runs.size()) + " already in") != std::string::npos);
  CHECK(rerun.output.find(std::to_string(4 - first_runs.size()) + " to run") != std::string::npos);

  const auto runs = run_files(out);
  CHECK(runs.size() == 4);
  for (const auto& [name, run] : first_runs) CHECK(runs.at(name) == run);  // kept, not retrained
  CHECK(count_files(out / "runs", ".partial") == 0);
  for (const char* cell : {"GRU", "MGU"}) {
    const auto histories = read_json(out / ("histories_" + std::string(cell) + ".json"));
    const auto& seeds = histories["configs"][std::string(cell) + "_1l_50h"]["runs"];
    std::multiset<int> seen;
    for (const auto& run : seeds) seen.insert(run["seed"].get<int>());
    CHECK(seen == std::multiset<int>{1000, 1001});
  }
}

TEST_CASE("Ctrl-C stops cleanly: exit 130, finished runs kept and reported, nothing half written") {
  temp_dir dir("notmnist-resume");
  const int status = signal_after_first_run(four_runs(dir.path()), dir.path(), SIGINT);
  const std::string log = read_text(dir.path() / "first.log");
  REQUIRE_MESSAGE(WIFEXITED(status), log);
  CHECK(WEXITSTATUS(status) == 130);
  CHECK(log.find("stopped: finished runs are saved; rerun the same command to resume") != std::string::npos);
  const auto runs = run_files(dir.path() / "out");
  CHECK(runs.size() >= 1);
  CHECK(runs.size() < 4);
  CHECK(count_files(dir.path() / "out" / "runs", ".partial") == 0);
  CHECK(read_text(dir.path() / "out" / "results.csv").find("_1l_50h,") != std::string::npos);
}

TEST_CASE("resuming into a folder trained with another protocol is refused") {
  temp_dir dir("notmnist-resume");
  write_synthetic_dataset(dir.path() / "data", 10);
  std::vector<std::string> args{"--data", (dir.path() / "data").string(), "--cells", "mgu", "--layers", "1", "--hidden",
                                "50", "--seeds", "1", "--out", (dir.path() / "out").string(), "--epochs"};
  args.push_back("1");
  REQUIRE(run_grid_program(args).exit_code == 0);
  args.back() = "2";
  const auto r = run_grid_program(args);
  CHECK(r.exit_code == 2);
  CHECK_MESSAGE(r.output.find("trained with 1 epochs") != std::string::npos, r.output);
}
}

}  // namespace notmnist
