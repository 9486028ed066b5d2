// Saving is atomic: a child process saving a large model's checkpoint over and over, alternating
// two models, is killed with SIGKILL at random points; after each kill the target loads, whole,
// as one of the two models (never a mix, never a torn file), and nothing else in the folder but
// the interrupted save's temp file, which a load of the target never reads.
#include "support/checkpoint_files.hpp"

#include <rnncell/checkpoint.hpp>
#include <rnncell/dense.hpp>
#include <rnncell/gru.hpp>
#include <rnncell/model.hpp>
#include <rnncell/stacked.hpp>

#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using namespace checkpoint_test;

// About 2.5 MB of parameters: a save takes long enough for kills to land inside it.
using large_model = rnncell::Model<rnncell::Stacked<rnncell::GRUCell<32, 256>, 2>, rnncell::Dense<256, 10>>;

std::vector<std::vector<float>> parameters_of(large_model& model) {
  std::vector<std::vector<float>> values;
  model.for_each_parameter([&](std::string_view, auto& p) { values.emplace_back(p.begin(), p.end()); });
  return values;
}

}  // namespace

TEST_CASE("checkpoint: a save killed at random points leaves the previous or the new checkpoint, whole") {
  temp_dir dir;
  const fs::path target = dir.path / "model.npz";
  large_model first(1), second(2), loaded(3);
  const auto first_values = parameters_of(first), second_values = parameters_of(second);
  REQUIRE(first_values != second_values);
  rnncell::save_npz(target, first);

  // Kill delays spread over about three saves, timed here (disks differ by orders of magnitude).
  const auto start = std::chrono::steady_clock::now();
  rnncell::save_npz(target, first);
  const auto save_us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
  std::mt19937 random(12345);
  std::uniform_int_distribution<long> delay_us(0, 3 * save_us.count() + 1000);
  // At least 20 kills, and as many more (up to 200) as it takes for 5 of them to have landed
  // while a temp file was being written: the case that matters must have happened.
  int kills = 0, kills_mid_write = 0;
  std::size_t loads_of[2] = {0, 0};
  while (kills < 20 || (kills_mid_write < 5 && kills < 200)) {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      try {
        for (unsigned i = 0;; ++i) rnncell::save_npz(target, i % 2 ? first : second);
      } catch (...) {
      }
      ::_exit(1);  // never back into the test framework
    }
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us(random)));
    REQUIRE(::kill(child, SIGKILL) == 0);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE_MESSAGE(WIFSIGNALED(status), "the saving child stopped by itself (a save failed)");
    ++kills;

    CAPTURE(kills);
    std::vector<fs::path> temps;
    for (const auto& entry : fs::directory_iterator(dir.path)) {
      if (entry.path() == target) continue;
      CHECK_MESSAGE(entry.path().string().ends_with(rnncell::detail::atomic_write_temp_suffix),
                    "unexpected file " << entry.path());
      temps.push_back(entry.path());
    }
    kills_mid_write += !temps.empty();

    rnncell::load_npz(target, loaded);  // throws, failing the test, on a torn checkpoint
    const auto values = parameters_of(loaded);
    const bool is_first = values == first_values, is_second = values == second_values;
    CHECK((is_first || is_second));
    ++loads_of[is_first ? 0 : 1];
    for (const auto& temp : temps) fs::remove(temp);  // the next child's temp is its own
  }
  MESSAGE("one save " << save_us.count() << " us; " << kills << " kills, " << kills_mid_write << " during a write; loaded the first model " << loads_of[0]
                << " times, the second " << loads_of[1] << " times");
  CHECK(kills_mid_write >= 5);
}
