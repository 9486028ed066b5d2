// libFuzzer harness for load_onnx (onnx.hpp): the input bytes are read as an ONNX file's contents
// and loaded into four small models (a 2-layer reset-after GRU, a reset-before GRU cell, a 2-layer
// MGU, a 2-layer LSTM; onnx_models.hpp). Beyond "no crash, no sanitizer report", it checks the
// contract on every input: load_onnx throws nothing but std::runtime_error, naming the file, and a
// failed load leaves every parameter exactly as it was (else abort). Built as the other harnesses
// (tests/fuzz/CMakeLists.txt): a libFuzzer target and a replay program the test suite runs.
#include "onnx_models.hpp"
#include "transactional.hpp"

#include <rnncell/onnx.hpp>

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
      model, [&] { rnncell::detail::load_onnx_from_bytes(model, bytes, "rnncell: ONNX file 'fuzz input'"); },
      "load_onnx", "'fuzz input'");
}

/// Each model starts every input from the same weights (copied from one made once: making it would
/// dominate each run's time), so that an input does the same whatever ran before it.
template <class Model>
void load_fresh(std::string_view bytes) {
  static const Model initial(1);
  static Model model = initial;
  model = initial;
  load_into(model, bytes);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  load_fresh<rnncell_fuzz::gru_reset_after_model>(bytes);
  load_fresh<rnncell_fuzz::gru_reset_before_model>(bytes);
  load_fresh<rnncell_fuzz::mgu_model>(bytes);
  load_fresh<rnncell_fuzz::lstm_model>(bytes);
  return 0;
}
