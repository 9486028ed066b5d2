// Run records: NaN and infinities round-trip; a run file that cannot be read (damaged, truncated,
// another format version, values the reader refuses, another run's content) is named in a
// warning, moved aside to <file>.rejected-<n> and run again, by the grid and by merge alike; and
// no sequence of bad inputs leaves a folder that a rerun with good inputs cannot continue.
#include "grid/run_store.hpp"
#include "output_files.hpp"
#include "program.hpp"
#include "synthetic_data.hpp"
#include "temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <fstream>
#include <limits>
#include <sstream>

namespace notmnist {
using namespace testing;
namespace fs = std::filesystem;

namespace {

run_record finished_run(std::uint64_t seed) {
  run_record r;
  r.id = {{cell_kind::mgu, 1, 50}, seed};
  r.protocol = {2, 32, 1e-3, 0};
  r.parameter_count = 8410;
  r.hist = {{0.9, 0.5}, {0.7, 0.8}, {0.8, 0.6}, {0.75, 0.79}, {1.5, 1.4}};
  return r;
}

void write_text(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

// The valid record's JSON with one change.
std::string edited(const std::function<void(nlohmann::json&)>& edit) {
  nlohmann::json j = to_json(finished_run(1000));
  edit(j);
  return j.dump(1);
}

std::vector<std::string> files_in(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_SUITE("records") {
TEST_CASE("NaN and infinities in a history are written and read back as the same numbers") {
  run_record r = finished_run(1000);
  const double inf = std::numeric_limits<double>::infinity();
  r.hist.loss = {std::numeric_limits<double>::quiet_NaN(), inf};
  r.hist.val_loss = {-inf, 0.25};
  const std::string text = to_json(r).dump(1);
  CHECK(text.find("null") == std::string::npos);
  const run_record back = read_run_record(text);
  CHECK(std::isnan(back.hist.loss[0]));
  CHECK(back.hist.loss[1] == inf);
  CHECK(back.hist.val_loss[0] == -inf);
  CHECK(back.hist.val_loss[1] == 0.25);
  CHECK(to_json(back).dump(1) == text);
}

TEST_CASE("a run file the reader refuses is named, moved aside and left out; a valid one loads") {
  const std::string valid = to_json(finished_run(1000)).dump(1);
  const std::vector<std::pair<std::string, std::string>> damaged{
      {"empty", ""},
      {"not JSON", "this is not JSON"},
      {"truncated", valid.substr(0, valid.size() / 2)},
      {"another format version", edited([](auto& j) { j["format_version"] = 2; })},
      {"an array", "[1, 2, 3]"},
      {"negative epochs", edited([](auto& j) { j["epochs"] = -1; })},
      {"fractional layers", edited([](auto& j) { j["layers"] = 1.5; })},
      {"lr written as null (NaN by an older writer)", edited([](auto& j) { j["lr"] = nullptr; })},
      {"lr NaN", edited([](auto& j) { j["lr"] = "nan"; })},
      {"history shorter than the epochs", edited([](auto& j) { j["history"]["loss"].erase(1); })},
      {"a series of another length", edited([](auto& j) { j["history"]["val_accuracy"].push_back(0.5); })},
      {"unknown status", edited([](auto& j) { j["status"] = "maybe"; })},
      {"unknown cell", edited([](auto& j) { j["cell"] = "LSTM"; })},
      {"a failed run without its failure", edited([](auto& j) { j["status"] = "failed"; })},
      {"another run's content", to_json(finished_run(1001)).dump(1)},
      {"dropout 1", edited([](auto& j) { j["dropout"] = 1; })},
      {"negative recurrent_dropout", edited([](auto& j) { j["recurrent_dropout"] = -0.1; })},
      {"recurrent_dropout NaN", edited([](auto& j) { j["recurrent_dropout"] = "nan"; })},
      {"dropout as text", edited([](auto& j) { j["dropout"] = "0.2"; })},
      {"dropout null", edited([](auto& j) { j["dropout"] = nullptr; })},
  };
  for (const auto& entry : damaged) {
    const std::string& what = entry.first;  // not a structured binding: clang 14 cannot capture one
    const std::string& text = entry.second;
    CAPTURE(what);
    temp_dir dir("notmnist-records");
    const run_store store(dir.path());
    const fs::path file = store.file_of(finished_run(1000).id);
    write_text(file, text);
    std::ostringstream log;
    CHECK(store.load(log).empty());
    const std::string warning = log.str();
    CHECK(warning.starts_with("warning: " + file.string() + ": not a valid run record ("));
    CHECK(warning.find("moved aside to MGU_1l_50h_seed1000.json.rejected-1; a grid run into this folder runs it again") !=
          std::string::npos);
    CHECK(files_in(file.parent_path()) == std::vector<std::string>{"MGU_1l_50h_seed1000.json.rejected-1"});
    CHECK(std::count(warning.begin(), warning.end(), '\n') == 1);

    // A second bad copy goes beside the first; a good one then loads and both rejects stay.
    write_text(file, text);
    std::ostringstream again;
    CHECK(store.load(again).empty());
    CHECK(fs::exists(file.string() + ".rejected-2"));
    store.save(finished_run(1000));
    std::ostringstream quiet;
    CHECK(store.load(quiet).size() == 1);
    CHECK(quiet.str().empty());
    CHECK(files_in(file.parent_path()).size() == 3);
  }
}

TEST_CASE("the grid redoes a damaged run and merge leaves it out, each with a warning") {
  temp_dir dir("notmnist-records");
  write_synthetic_dataset(dir.path() / "data", 10);
  const fs::path out = dir.path() / "out";
  const std::vector<std::string> grid{"--data", (dir.path() / "data").string(), "--cells", "mgu", "--layers", "1",
                                      "--hidden", "50", "--seeds", "2", "--epochs", "1", "--out", out.string()};
  REQUIRE(run_grid_program(grid).exit_code == 0);
  const auto before = run_files(out);
  const fs::path damaged = out / "runs" / "MGU_1l_50h_seed1001.json";
  const std::string valid = read_text(damaged);
  write_text(damaged, valid.substr(0, valid.size() - 20));

  const auto rerun = run_grid_program(grid);
  CHECK_MESSAGE(rerun.exit_code == 0, rerun.output);
  CHECK(rerun.output.find("warning: " + damaged.string() + ": not a valid run record") != std::string::npos);
  CHECK(rerun.output.find("1 already in") != std::string::npos);
  CHECK(rerun.output.find("1 to run") != std::string::npos);
  CHECK(run_files(out) == before);  // redone, with the same numbers
  CHECK(fs::exists(damaged.string() + ".rejected-1"));

  write_text(damaged, "{}");
  const auto merged = run_grid_program({"merge", out.string(), "--out", (dir.path() / "merged").string()});
  CHECK_MESSAGE(merged.exit_code == 0, merged.output);
  CHECK(merged.output.find("warning: " + damaged.string() + ": not a valid run record") != std::string::npos);
  CHECK(merged.output.find("merge: 1 runs") != std::string::npos);
  CHECK(fs::exists(damaged.string() + ".rejected-2"));
}

TEST_CASE("no sequence of bad inputs leaves a folder that a rerun with good inputs cannot continue") {
  temp_dir dir("notmnist-records");
  write_synthetic_dataset(dir.path() / "data", 10);
  write_synthetic_dataset(dir.path() / "tiny", 1);  // 8 training images: fewer than one batch
  const fs::path out = dir.path() / "out";
  const std::string data = (dir.path() / "data").string();
  const std::vector<std::string> good{"--data", data, "--cells", "gru,mgu", "--layers", "1", "--hidden", "50",
                                      "--seeds", "1", "--epochs", "1", "--out", out.string()};
  auto with = [&](const std::vector<std::string>& change) {  // {flag, value}: replaced or added
    std::vector<std::string> args = good;
    const auto at = std::find(args.begin(), args.end(), change[0]);
    if (at == args.end()) args.insert(args.end(), change.begin(), change.end());
    else *(at + 1) = change[1];
    return args;
  };
  const std::vector<std::vector<std::string>> bad{
      {"--lr", "nan"},          {"--lr", "inf"},        {"--epochs", "0"},     {"--batch", "-1"},
      {"--split-seed", "nan"},  {"--jobs", "1e999"},    {"--seeds", "abc"},    {"--layers", "0"},
      {"--batch", "1000"},      {"--data", (dir.path() / "tiny").string()},   {"--data", (dir.path() / "nowhere").string()},
      {"--shard", "2/1"},       {"--out", ""},           {"--dropout", "1"},    {"--recurrent-dropout", "-0.1"},
  };
  for (const auto& changes : bad) {
    const auto r = run_grid_program(with(changes));
    CHECK_MESSAGE(r.exit_code == 2, changes[0] << " " << changes[1] << ": " << r.output);
  }
  // Damage a folder by hand as well: a half-written run, a record of another format, a temp file.
  write_text(out / "runs" / "GRU_1l_50h_seed1000.json", "{\"format_version\": 1, \"cell\": \"GRU\", \"lay");
  write_text(out / "runs" / "MGU_1l_50h_seed1000.json", edited([](auto& j) { j["format_version"] = 7; }));
  write_text(out / "runs" / "MGU_1l_50h_seed1000.json.1234-5.partial", "{");

  const auto r = run_grid_program(good);
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(r.output.find("2 to run") != std::string::npos);
  CHECK(run_files(out).size() == 2);
  const auto again = run_grid_program(good);
  CHECK(again.exit_code == 0);
  CHECK(again.output.find("2 already in") != std::string::npos);
}
}

}  // namespace notmnist
