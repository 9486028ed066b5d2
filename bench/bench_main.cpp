// main() of every benchmark executable: pins OpenBLAS to one thread before anything runs and puts
// its thread count and kernel family in the context block of the output (OPENBLAS_CORETYPE=Haswell
// on a machine with AVX-512 roughly halves sgemm's peak, so every result must say which it was),
// the path rnncell's own kernels take (kernels/isa.hpp: RNNCELL_ISA or the CPU's best), and which
// build of the program this is (bench/CMakeLists.txt: native or default flags).
#include <benchmark/benchmark.h>

#include <rnncell/kernels/isa.hpp>

#include <string>

#include "openblas_control.hpp"

int main(int argc, char** argv) {
  rnncell_bench::pin_openblas_to_one_thread();
  benchmark::AddCustomContext("openblas_threads", std::to_string(openblas_get_num_threads()));
  benchmark::AddCustomContext("openblas_core", rnncell_bench::openblas_core_name());
  const auto kernel_path = rnncell::kernels::isa_name(rnncell::kernels::active_isa());
  benchmark::AddCustomContext("rnncell_kernel_path", std::string(kernel_path));
  benchmark::AddCustomContext("rnncell_build", RNNCELL_BENCH_BUILD);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
