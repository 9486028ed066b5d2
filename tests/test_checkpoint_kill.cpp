// Saving is atomic: a child process saving a large model's checkpoint is killed, and after each
// kill the target loads, whole, as a model that was saved completely (never a mix, never a torn
// file), with nothing else in the folder but the interrupted save's temp file, which a load of
// the target never reads. Two ways to kill: at an exact byte of the write (deterministic: the
// case that matters happens on every run, on any disk), and with SIGKILL at random moments (which
// also lands in the fsync, the rename and the folder sync).
#include "support/checkpoint_files.hpp"

#include <rnncell/checkpoint.hpp>
#include <rnncell/dense.hpp>
#include <rnncell/gru.hpp>
#include <rnncell/model.hpp>
#include <rnncell/stacked.hpp>

#include <doctest/doctest.h>

#include <signal.h>
#include <sys/resource.h>
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

// About 2.5 MB of parameters: a save takes long enough for random kills to land inside it.
using large_model = rnncell::Model<rnncell::Stacked<rnncell::GRUCell<32, 256>, 2>, rnncell::Dense<256, 10>>;

std::vector<std::vector<float>> parameters_of(large_model& model) {
  std::vector<std::vector<float>> values;
  model.for_each_parameter([&](std::string_view, auto& p) { values.emplace_back(p.begin(), p.end()); });
  return values;
}

/// Runs `save` in a child process and returns its pid; the child never returns into the test
/// framework. `before` runs in the child first.
template <class Before, class Save>
pid_t fork_saver(Before&& before, Save&& save) {
  const pid_t child = ::fork();
  if (child == 0) {
    before();
    try {
      save();
    } catch (...) {
    }
    ::_exit(1);
  }
  return child;
}

/// The files in `folder` other than `target`; each must be a save's temp file.
std::vector<fs::path> temp_files(const fs::path& folder, const fs::path& target) {
  std::vector<fs::path> temps;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path() == target) continue;
    CHECK_MESSAGE(entry.path().string().ends_with(rnncell::detail::atomic_write_temp_suffix),
                  "unexpected file " << entry.path());
    temps.push_back(entry.path());
  }
  return temps;
}

void expect_killed(pid_t child) {
  REQUIRE(child > 0);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE_MESSAGE(WIFSIGNALED(status), "the saving child stopped by itself (a save failed, or finished)");
  REQUIRE(WTERMSIG(status) == SIGKILL);
}

}  // namespace

TEST_CASE("checkpoint: a save killed after any number of bytes of its write leaves the previous checkpoint, whole") {
  temp_dir dir;
  const fs::path target = dir.path / "model.npz";
  large_model first(1), second(2), loaded(3);
  const auto first_values = parameters_of(first);
  REQUIRE(first_values != parameters_of(second));
  rnncell::save_npz(target, first);
  const std::uintmax_t size = fs::file_size(target);

  // The kernel stops a write at the file-size limit and raises SIGXFSZ on the next one; the
  // child's handler turns that into SIGKILL at once (no core dump, no unwinding, no cleanup: the
  // kill of a real crash).
  // Offsets: the archive's first bytes, its headers, the middle of the data, the central
  // directory at the end, and spread at random.
  std::vector<std::uintmax_t> kill_at = {0, 1, 29, 30, 100, size / 4, size / 2, size - 100, size - 22, size - 1};
  std::mt19937 random(12345);
  std::uniform_int_distribution<std::uintmax_t> anywhere(0, size - 1);
  for (int i = 0; i < 10; ++i) kill_at.push_back(anywhere(random));

  for (const std::uintmax_t bytes : kill_at) {
    CAPTURE(bytes);
    const pid_t child = fork_saver(
        [bytes] {
          const rlimit no_core{0, 0}, file_size{rlim_t(bytes), rlim_t(bytes)};
          ::setrlimit(RLIMIT_CORE, &no_core);
          ::setrlimit(RLIMIT_FSIZE, &file_size);
          ::signal(SIGXFSZ, [](int) { ::kill(::getpid(), SIGKILL); });
        },
        [&] { rnncell::save_npz(target, second); });
    expect_killed(child);

    const auto temps = temp_files(dir.path, target);
    REQUIRE(temps.size() == 1);
    CHECK(fs::file_size(temps[0]) == bytes);  // killed inside its write, at the byte asked for
    rnncell::load_npz(target, loaded);        // throws, failing the test, on a torn checkpoint
    CHECK(parameters_of(loaded) == first_values);
    fs::remove(temps[0]);
  }
}

TEST_CASE("checkpoint: a save killed at random moments leaves the previous or the new checkpoint, whole") {
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
  int kills_mid_save = 0;
  std::size_t loads_of[2] = {0, 0};
  for (int kill = 0; kill < 20; ++kill) {
    CAPTURE(kill);
    const pid_t child = fork_saver([] {}, [&] {
      for (unsigned i = 0;; ++i) rnncell::save_npz(target, i % 2 ? first : second);
    });
    REQUIRE(child > 0);
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us(random)));
    REQUIRE(::kill(child, SIGKILL) == 0);
    expect_killed(child);

    const auto temps = temp_files(dir.path, target);
    kills_mid_save += !temps.empty();
    rnncell::load_npz(target, loaded);
    const auto values = parameters_of(loaded);
    const bool is_first = values == first_values, is_second = values == second_values;
    CHECK((is_first || is_second));
    ++loads_of[is_first ? 0 : 1];
    for (const auto& temp : temps) fs::remove(temp);  // the next child's temp is its own
  }
  // How the kills fell depends on the disk and the machine's load: reported, not checked (the
  // test above makes the mid-write case happen deterministically).
  MESSAGE("one save " << save_us.count() << " us; 20 kills, " << kills_mid_save << " with a temp file present; loaded the first model "
                      << loads_of[0] << " times, the second " << loads_of[1] << " times");
}
