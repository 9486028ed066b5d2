// libFuzzer harness for load_onnx (onnx.hpp): the input bytes are read as an ONNX file's contents
// and loaded into four small models (a 2-layer reset-after GRU, a reset-before GRU cell, a 2-layer
// MGU, a 2-layer LSTM; onnx_models.hpp). Beyond "no crash, no sanitizer report", it checks the
// contract on every input: load_onnx throws nothing but std::runtime_error, naming the file, and a
// failed load leaves every parameter exactly as it was (else abort). Built as the other harnesses
// (tests/fuzz/CMakeLists.txt): a libFuzzer target and a replay program the test suite runs.
#include "onnx_models.hpp"

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

/// The parameters' bytes: compared as bytes, since a load may have put NaNs (NaN != NaN) there.
template <class Model>
std::vector<std::string> parameters_of(Model& model) {
  std::vector<std::string> bytes;
  model.for_each_parameter([&](std::string_view, auto& p) {
    bytes.emplace_back(reinterpret_cast<const char*>(p.data()), p.size() * sizeof(*p.data()));
  });
  return bytes;
}

template <class Model>
void load_into(std::string_view bytes) {
  static Model model(1);  // its weights change with every input that loads: a failed load must not
  const auto before = parameters_of(model);
  try {
    rnncell::detail::load_onnx_from_bytes(model, bytes, "rnncell: ONNX file 'fuzz input'");
  } catch (const std::runtime_error& e) {
    if (std::string_view(e.what()).find("'fuzz input'") == std::string_view::npos) {
      std::fprintf(stderr, "load_onnx error without the file's name: %s\n", e.what());
      std::abort();
    }
    if (parameters_of(model) != before) {
      std::fprintf(stderr, "a failed load changed the parameters (%s)\n", e.what());
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  load_into<rnncell_fuzz::gru_reset_after_model>(bytes);
  load_into<rnncell_fuzz::gru_reset_before_model>(bytes);
  load_into<rnncell_fuzz::mgu_model>(bytes);
  load_into<rnncell_fuzz::lstm_model>(bytes);
  return 0;
}
