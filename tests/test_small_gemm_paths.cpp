// The gradient checks and the oracle tests (test_gradients.cpp, test_oracle.cpp, test_lengths.cpp,
// test_oracle_lengths.cpp, test_lstm.cpp, test_lstm_oracle.cpp) on one kernel path: ctest runs
// this program once per path with RNNCELL_ISA set (tests/CMakeLists.txt), so the cells' products
// (kernels/small_gemm.hpp, kernels/weight_gradient.hpp) and the gate math compiled per path meet
// finite differences and PyTorch on every path. A path this CPU lacks is reported as skipped
// (exit 77), not as a failure; any other bad RNNCELL_ISA fails.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <rnncell/kernels/isa.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

int main(int argc, char** argv) {
  using namespace rnncell::kernels;
  const char* requested = std::getenv("RNNCELL_ISA");
  for (isa path : {isa::portable, isa::avx2, isa::avx512})
    if (requested != nullptr && std::string_view(requested) == isa_name(path) && !cpu_supports(path)) {
      std::printf("skipped: this CPU has no %s path\n", requested);
      return 77;
    }
  std::printf("kernel path: %s\n", std::string(isa_name(active_isa())).c_str());
  doctest::Context context(argc, argv);
  return context.run();
}
