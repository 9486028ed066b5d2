// Shards merged give the same runs, tables and histories as one unsharded grid, and neither
// depends on how many runs train at once (--jobs).
#include "output_files.hpp"
#include "program.hpp"
#include "synthetic_data.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <fstream>

namespace notmnist {
using namespace testing;

TEST_SUITE("shard_merge") {
TEST_CASE("three shards (one job each) merged equal the unsharded grid run with two jobs") {
  temp_dir dir("notmnist-shards");
  write_synthetic_dataset(dir.path() / "data", 20);
  const auto out = [&](const std::string& name) { return (dir.path() / name).string(); };
  const std::vector<std::string> grid{"--data", out("data"), "--cells", "gru,mgu", "--layers", "1,2", "--hidden", "50",
                                      "--seeds", "2", "--epochs", "2"};
  auto with = [&](std::vector<std::string> extra) {
    extra.insert(extra.begin(), grid.begin(), grid.end());
    return extra;
  };
  const auto whole = run_grid_program(with({"--out", out("whole"), "--jobs", "2"}));
  REQUIRE_MESSAGE(whole.exit_code == 0, whole.output);
  for (const char* share : {"1/3", "2/3", "3/3"}) {
    const auto r = run_grid_program(with({"--out", out(std::string("shard") + share[0]), "--shard", share, "--jobs", "1"}));
    REQUIRE_MESSAGE(r.exit_code == 0, r.output);
    CHECK(r.output.find(std::string("shard ") + share) != std::string::npos);
  }
  CHECK(run_files(out("shard1")).size() == 3);  // 8 runs dealt round-robin: 3, 3, 2
  CHECK(run_files(out("shard3")).size() == 2);

  const auto merged = run_grid_program({"merge", out("shard1"), out("shard2"), out("shard3"), "--out", out("merged")});
  REQUIRE_MESSAGE(merged.exit_code == 0, merged.output);

  CHECK(run_files(out("merged")).size() == 8);
  CHECK(run_files(out("merged")) == run_files(out("whole")));
  CHECK(csv_without_timings(read_text(out("merged") + "/results.csv")) ==
        csv_without_timings(read_text(out("whole") + "/results.csv")));
  for (const char* file : {"/histories_GRU.json", "/histories_MGU.json"})
    CHECK(without_timings(read_json(out("merged") + file)) == without_timings(read_json(out("whole") + file)));
  for (const char* plot : {"/val_accuracy.png", "/val_loss.svg"}) CHECK(std::filesystem::exists(out("merged") + plot));
}

TEST_CASE("merge refuses folders that disagree on the protocol or on a run's result") {
  temp_dir dir("notmnist-shards");
  write_synthetic_dataset(dir.path() / "data", 10);
  const auto folder = [&](const std::string& name) { return (dir.path() / name).string(); };
  for (const char* epochs : {"1", "2"}) {
    const auto r = run_grid_program({"--data", folder("data"), "--cells", "mgu", "--layers", "1", "--hidden", "50",
                                     "--seeds", "1", "--epochs", epochs, "--out", folder(epochs)});
    REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  }
  SUBCASE("another protocol") {
    const auto r = run_grid_program({"merge", folder("1"), folder("2"), "--out", folder("merged")});
    CHECK(r.exit_code == 2);
    CHECK_MESSAGE(r.output.find("used 2 epochs, batch 32") != std::string::npos, r.output);
  }
  SUBCASE("the same run with another history") {
    std::filesystem::copy(folder("1"), folder("1b"), std::filesystem::copy_options::recursive);
    const auto run_file = dir.path() / "1b" / "runs" / "MGU_1l_50h_seed1000.json";
    auto run = read_json(run_file);
    run["history"]["loss"][0] = 0.5;
    std::ofstream(run_file) << run.dump();
    const auto r = run_grid_program({"merge", folder("1"), folder("1b"), "--out", folder("merged")});
    CHECK(r.exit_code == 2);
    CHECK_MESSAGE(r.output.find("run MGU_1l_50h_seed1000 differs between") != std::string::npos, r.output);
  }
}
}

TEST_SUITE("parallel") {
TEST_CASE("the README's GNU parallel route: two shards at once, then merge, equal the unsharded grid") {
  const auto version = run_process({"parallel", "--version"});
  REQUIRE_MESSAGE(version.exit_code == 0, "GNU parallel is not installed (bash scripts/install-deps.sh installs it)");
  temp_dir dir("notmnist-parallel");
  write_synthetic_dataset(dir.path() / "data", 10);
  const std::vector<std::string> grid{NOTMNIST_GRID_EXE, "--data", (dir.path() / "data").string(), "--cells", "gru,mgu",
                                      "--layers", "1", "--hidden", "50", "--seeds", "1", "--epochs", "1", "--jobs", "1"};
  auto with = [&](std::vector<std::string> head, std::vector<std::string> tail) {
    head.insert(head.end(), grid.begin(), grid.end());
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
  };
  const auto whole = run_process(with({}, {"--out", "whole"}), dir.path());
  REQUIRE_MESSAGE(whole.exit_code == 0, whole.output);
  // As in the README: parallel notmnist_grid --jobs 1 --shard {}/N --out shard{} ::: 1 ... N
  const auto shards = run_process(with({"parallel"}, {"--shard", "{}/2", "--out", "shard{}", ":::", "1", "2"}), dir.path());
  REQUIRE_MESSAGE(shards.exit_code == 0, shards.output);
  CHECK(shards.output.find("shard 1/2") != std::string::npos);
  CHECK(shards.output.find("shard 2/2") != std::string::npos);
  CHECK(run_files(dir.path() / "shard1").size() == 1);
  CHECK(run_files(dir.path() / "shard2").size() == 1);

  const auto merged = run_grid_program({"merge", "shard1", "shard2", "--out", "merged"}, dir.path());
  REQUIRE_MESSAGE(merged.exit_code == 0, merged.output);
  const auto folder = [&](const char* name) { return dir.path() / name; };
  CHECK(run_files(folder("merged")).size() == 2);
  CHECK(run_files(folder("merged")) == run_files(folder("whole")));
  CHECK(csv_without_timings(read_text(folder("merged") / "results.csv")) ==
        csv_without_timings(read_text(folder("whole") / "results.csv")));
  for (const char* file : {"histories_GRU.json", "histories_MGU.json"})
    CHECK(without_timings(read_json(folder("merged") / file)) == without_timings(read_json(folder("whole") / file)));
}
}

}  // namespace notmnist
