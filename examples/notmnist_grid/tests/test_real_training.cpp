// One epoch of GRU_1l_50h and MGU_1l_50h on the real data reaches the validation accuracy
// measured with the program (GRU 0.8745, MGU 0.8336 with split seed 0 and seed 1000, the shuffle
// on its own stream; 0.8764 and 0.8360 when it shared rng(seed) with the initialisation; the
// training is deterministic, the bounds leave room for other BLAS builds).
#include "output_files.hpp"
#include "program.hpp"
#include "real_data.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

namespace notmnist {
using namespace testing;

TEST_SUITE("real_training") {
TEST_CASE("1 epoch on the real data: GRU_1l_50h val_accuracy >= 0.87, MGU_1l_50h >= 0.83") {
  temp_dir dir("notmnist-real");
  const auto r = run_grid_program({"--data", real_archive().string(), "--layers", "1", "--hidden", "50", "--seeds", "1",
                                   "--epochs", "1", "--jobs", "2", "--out", dir.path().string()});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  const double gru = read_json(dir.path() / "runs" / "GRU_1l_50h_seed1000.json")["history"]["val_accuracy"][0];
  const double mgu = read_json(dir.path() / "runs" / "MGU_1l_50h_seed1000.json")["history"]["val_accuracy"][0];
  MESSAGE("1-epoch val_accuracy: GRU_1l_50h " << gru << ", MGU_1l_50h " << mgu);
  CHECK(gru >= 0.87);
  CHECK(mgu >= 0.83);
  CHECK(read_json(dir.path() / "histories_GRU.json")["dataset"]["skipped_files"].size() == 2);
}
}

}  // namespace notmnist
