// --dropout and --recurrent-dropout: every layer's Keras rates, applied in training only. A rate
// changes training and is reproducible from the run's seed (the masks come from the model's
// generator); it is recorded in the run files, the histories and results.md; resume and merge
// refuse to mix rates. At 0, the default, nothing about dropout is written anywhere: the files
// are those of the seed protocol, and run files without the rates read as 0.
#include "grid/run_record.hpp"
#include "output_files.hpp"
#include "program.hpp"
#include "synthetic_data.hpp"
#include "temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <doctest/doctest.h>

#include <set>

namespace notmnist {
using namespace testing;
namespace fs = std::filesystem;

namespace {

// A tiny grid on synthetic data (100 images), its output in dir/<out>; `extra` flags appended.
class tiny_grid {
 public:
  tiny_grid(const fs::path& dir, std::vector<std::string> base) : dir_(dir), base_(std::move(base)) {
    write_synthetic_dataset(dir_ / "data", 10);
    base_.insert(base_.begin(), {"--data", (dir_ / "data").string()});
  }
  process_result run(const std::string& out, const std::vector<std::string>& extra) const {
    std::vector<std::string> args = base_;
    args.insert(args.end(), {"--out", (dir_ / out).string()});
    args.insert(args.end(), extra.begin(), extra.end());
    return run_grid_program(args);
  }
  fs::path folder(const std::string& out) const { return dir_ / out; }

 private:
  fs::path dir_;
  std::vector<std::string> base_;
};

std::set<std::string> keys(const nlohmann::json& j) {
  std::set<std::string> out;
  for (const auto& item : j.items()) out.insert(item.key());
  return out;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_SUITE("dropout") {
TEST_CASE("a rate changes training, reproducibly, and is recorded in the run files and reports; 0 writes nothing") {
  temp_dir dir("notmnist-rates");  // no "dropout" in the paths the files name
  // Two layers: the rates are set on every layer's cell.
  const tiny_grid grid(dir.path(), {"--cells", "gru,mgu", "--layers", "2", "--hidden", "50", "--seeds", "1",
                                    "--epochs", "2"});
  const auto ran = [&](const std::string& out, const std::vector<std::string>& extra) {
    const auto r = grid.run(out, extra);
    REQUIRE_MESSAGE(r.exit_code == 0, out << ": " << r.output);
    return r.output;
  };
  const std::string plain_log = ran("plain", {"--jobs", "2"});
  const std::string recurrent_log = ran("recurrent", {"--recurrent-dropout", "0.2", "--jobs", "2"});
  ran("recurrent_again", {"--recurrent-dropout", "0.2", "--jobs", "1"});
  ran("input", {"--dropout", "0.2", "--jobs", "2"});
  ran("zero", {"--dropout", "0", "--recurrent-dropout", "0", "--jobs", "2"});

  const auto plain = run_files(grid.folder("plain"));
  const auto recurrent = run_files(grid.folder("recurrent"));
  const auto input = run_files(grid.folder("input"));
  REQUIRE(plain.size() == 2);
  REQUIRE(recurrent.size() == 2);
  REQUIRE(input.size() == 2);
  // The same seed draws the same masks (the model's generator), however many runs train at once.
  CHECK(run_files(grid.folder("recurrent_again")) == recurrent);
  // Explicit zeros are the default: the same files.
  CHECK(run_files(grid.folder("zero")) == plain);

  const std::set<std::string> seed_protocol_keys{"format_version", "config", "cell", "layers", "hidden",
                                                 "seed", "epochs", "batch", "lr", "split_seed",
                                                 "parameter_count", "status", "history"};
  for (const auto& entry : plain) {
    const std::string& name = entry.first;  // not a structured binding: clang 14 cannot capture one
    CAPTURE(name);
    const nlohmann::json& none = entry.second;
    const nlohmann::json& rec = recurrent.at(name);
    const nlohmann::json& in = input.at(name);
    CHECK(keys(none) == seed_protocol_keys);  // nothing about dropout at 0
    CHECK(rec["recurrent_dropout"] == 0.2);
    CHECK_FALSE(rec.contains("dropout"));
    CHECK(in["dropout"] == 0.2);
    CHECK_FALSE(in.contains("recurrent_dropout"));
    // Dropout did something, each kind its own thing; validation (never dropped) sees other weights.
    CHECK(rec["history"]["loss"] != none["history"]["loss"]);
    CHECK(rec["history"]["val_loss"] != none["history"]["val_loss"]);
    CHECK(in["history"]["loss"] != none["history"]["loss"]);
    CHECK(in["history"]["loss"] != rec["history"]["loss"]);
  }

  for (const char* cell : {"GRU", "MGU"}) {
    CAPTURE(cell);
    const std::string file = std::string("histories_") + cell + ".json";
    const auto with_rate = read_json(grid.folder("recurrent") / file)["protocol"];
    CHECK(with_rate["recurrent_dropout"] == 0.2);
    CHECK_FALSE(with_rate.contains("dropout"));
    CHECK(keys(read_json(grid.folder("plain") / file)["protocol"]) ==
          std::set<std::string>{"epochs", "batch", "lr", "split_seed"});
    CHECK(without_timings(read_json(grid.folder("zero") / file)) == without_timings(read_json(grid.folder("plain") / file)));
  }
  const std::string md = read_text(grid.folder("recurrent") / "results.md");
  CHECK_MESSAGE(contains(md, "- Protocol: 2 epochs, batch 32, lr 0.001, split seed 0, recurrent dropout 0.2; Adam"), md);
  CHECK_MESSAGE(contains(md, "- Dropout: 0 on the inputs and 0.2 recurrent, on every layer (Keras'"), md);
  CHECK(contains(read_text(grid.folder("input") / "results.md"), "split seed 0, dropout 0.2; Adam"));
  CHECK(contains(recurrent_log, "grid: 2 runs (2 epochs, batch 32, lr 0.001, split seed 0, recurrent dropout 0.2), "));
  for (const std::string file : {"results.md", "histories_GRU.json", "histories_MGU.json", "plot_data/plots.gp"})
    CHECK_MESSAGE(!contains(read_text(grid.folder("plain") / file), "dropout"), file);
  CHECK(!contains(plain_log, "dropout"));
  CHECK(csv_without_timings(read_text(grid.folder("zero") / "results.csv")) ==
        csv_without_timings(read_text(grid.folder("plain") / "results.csv")));
}

TEST_CASE("resume refuses another rate, in either direction; merge refuses folders of different rates") {
  temp_dir dir("notmnist-rates");
  const tiny_grid grid(dir.path(), {"--cells", "mgu", "--layers", "1", "--hidden", "50", "--seeds", "1", "--epochs", "1"});
  REQUIRE(grid.run("recurrent", {"--recurrent-dropout", "0.2"}).exit_code == 0);
  REQUIRE(grid.run("plain", {}).exit_code == 0);
  const std::string seed_protocol = "1 epochs, batch 32, lr 0.001, split seed 0";
  const std::string held = grid.folder("recurrent").string() + " holds run MGU_1l_50h_seed1000 trained with " + seed_protocol +
                           ", recurrent dropout 0.2, but this grid uses " + seed_protocol;

  auto refused = [&](const std::string& out, const std::vector<std::string>& extra, const std::string& message) {
    const auto r = grid.run(out, extra);
    CHECK_MESSAGE(r.exit_code == 2, r.output);
    CHECK_MESSAGE(contains(r.output, message), r.output);
  };
  refused("recurrent", {}, held + "; use another --out");
  refused("recurrent", {"--recurrent-dropout", "0.3"}, held + ", recurrent dropout 0.3; use another --out");
  refused("recurrent", {"--dropout", "0.2"}, held + ", dropout 0.2; use another --out");
  refused("plain", {"--dropout", "0.1"},
          "holds run MGU_1l_50h_seed1000 trained with " + seed_protocol + ", but this grid uses " + seed_protocol +
              ", dropout 0.1; use another --out");
  const auto same = grid.run("recurrent", {"--recurrent-dropout", "0.2"});
  CHECK_MESSAGE(same.exit_code == 0, same.output);
  CHECK(contains(same.output, "1 already in"));
  CHECK(contains(same.output, "0 to run"));

  const auto mixed = run_grid_program({"merge", grid.folder("recurrent").string(), grid.folder("plain").string(), "--out",
                                       grid.folder("mixed").string()});
  CHECK(mixed.exit_code == 2);
  CHECK_MESSAGE(contains(mixed.output, "used " + seed_protocol + ", other runs " + seed_protocol + ", recurrent dropout 0.2"),
                mixed.output);
  const auto merged = run_grid_program({"merge", grid.folder("recurrent").string(), "--out", grid.folder("merged").string()});
  REQUIRE_MESSAGE(merged.exit_code == 0, merged.output);
  CHECK(run_files(grid.folder("merged")) == run_files(grid.folder("recurrent")));
  CHECK(contains(read_text(grid.folder("merged") / "results.md"), "split seed 0, recurrent dropout 0.2; Adam"));
}

TEST_CASE("run files without the rates read as 0 and are written back byte for byte; rates round-trip") {
  // The committed seed grid's files, written before dropout existed.
  const fs::path committed = fs::path(NOTMNIST_COMMITTED_RESULTS) / "runs";
  std::size_t files = 0;
  if (fs::is_directory(committed))
    for (const auto& entry : fs::directory_iterator(committed)) {
      if (entry.path().extension() != ".json") continue;
      const std::string file = entry.path().filename().string();
      CAPTURE(file);
      const std::string text = read_text(entry.path());
      const run_record r = read_run_record(text);
      CHECK(r.protocol.dropout == 0);
      CHECK(r.protocol.recurrent_dropout == 0);
      CHECK(to_json(r).dump(1) + "\n" == text);  // as run_store::save writes it
      ++files;
    }
  else
    MESSAGE("no committed results at " << committed.string() << ": checked the written records only");
  if (fs::is_directory(committed)) CHECK(files == 54);

  run_record r;
  r.id = {{cell_kind::gru, 2, 50}, 1000};
  r.protocol.epochs = 1;
  r.parameter_count = 27510;
  r.hist = {{0.9}, {0.7}, {0.8}, {0.75}, {1.5}};
  CHECK(keys(to_json(r)).count("dropout") == 0);
  CHECK(keys(to_json(r)).count("recurrent_dropout") == 0);
  r.protocol.dropout = 0.1;
  r.protocol.recurrent_dropout = 0.2;
  const std::string text = to_json(r).dump(1);
  const run_record back = read_run_record(text);
  CHECK(back.protocol == r.protocol);
  CHECK(back.protocol.dropout == 0.1);
  CHECK(back.protocol.recurrent_dropout == 0.2);
  CHECK(to_json(back).dump(1) == text);
  CHECK(r.protocol.describe() == "1 epochs, batch 32, lr 0.001, split seed 0, dropout 0.1, recurrent dropout 0.2");
}
}

}  // namespace notmnist
