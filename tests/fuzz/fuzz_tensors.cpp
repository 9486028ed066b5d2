// libFuzzer harness for read_tensors (tensors.hpp): the input bytes are read as a tensor file's
// contents (an .npz if they start "PK", else a .safetensors), and what they hold is imported by
// name into a small two-layer GRU stack and a dense head, as a PyTorch state dict. Beyond "no
// crash, no sanitizer report", it checks the contracts on every input: reading throws nothing but
// std::runtime_error, naming the file; importing throws nothing but std::invalid_argument, and a
// failed import leaves every parameter exactly as it was (else abort). Built as fuzz_npz.cpp is
// (tests/fuzz/CMakeLists.txt): a libFuzzer target and a replay program the test suite runs.
#include "transactional.hpp"

#include <rnncell/dense.hpp>
#include <rnncell/gru.hpp>
#include <rnncell/import.hpp>
#include <rnncell/stacked.hpp>
#include <rnncell/tensors.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

using stack_type = rnncell::Stacked<rnncell::GRUCell<3, 4, float, rnncell::reset_after>, 2>;
using head_type = rnncell::Dense<4, 2>;

template <class Part, class Import>
void import_into(Part& part, Import&& import) {
  rnncell_fuzz::expect_transactional<std::invalid_argument>(part, import, "import");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  rnncell::tensor_map tensors;
  try {
    tensors = rnncell::detail::tensors_from_bytes(bytes, "rnncell: tensor file 'fuzz input'");
  } catch (const std::runtime_error& e) {
    if (std::string_view(e.what()).find("'fuzz input'") == std::string_view::npos) {
      std::fprintf(stderr, "read_tensors error without the file's name: %s\n", e.what());
      std::abort();
    }
    return 0;
  }
  stack_type stack;
  head_type head;
  import_into(stack, [&] { rnncell::import_pytorch_stack(stack, tensors, {"rnn"}); });
  import_into(stack, [&] { rnncell::import_pytorch_stack(stack, tensors, {"a", "b"}); });
  import_into(head, [&] { rnncell::import_pytorch_linear(head, tensors, "fc"); });
  return 0;
}
