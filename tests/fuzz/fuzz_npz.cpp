// libFuzzer harness for the .npz checkpoint reader: the input bytes are loaded, as a checkpoint
// file's contents, into a one-layer MGU model and into a two-layer GRU stack with a dense head.
// Beyond "no crash, no sanitizer report", it checks load_npz's contract on every input: the only
// exception is std::runtime_error (anything else escapes and counts as a crash), and a failed load
// leaves every parameter exactly as it was (else abort). Built by tests/fuzz/CMakeLists.txt twice:
// as a libFuzzer target (clang, RNNCELL_BUILD_FUZZERS) and linked with replay_main.cpp into a
// replay program that the normal test suite runs over the corpus and the regression inputs.
#include "npz_models.hpp"
#include "transactional.hpp"

#include <rnncell/checkpoint.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

template <class Model>
void load_into(Model& model, std::string_view bytes) {
  rnncell_fuzz::expect_transactional<std::runtime_error>(
      model, [&] { rnncell::detail::load_npz_from_bytes(bytes, "rnncell: checkpoint 'fuzz input'", model); },
      "load_npz", "'fuzz input'");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Initialised once (that would dominate each run's time), copied into the loaded models before
  // each input, so that an input does the same whatever ran before it.
  static const rnncell_fuzz::mgu_model mgu_initial(1);
  static const rnncell_fuzz::stacked_gru_model stacked_initial(2);
  static rnncell_fuzz::mgu_model mgu = mgu_initial;
  static rnncell_fuzz::stacked_gru_model stacked = stacked_initial;
  mgu = mgu_initial;
  stacked = stacked_initial;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  load_into(mgu, bytes);
  load_into(stacked, bytes);
  return 0;
}
