#pragma once
// OpenBLAS's own controls, declared here rather than taken from <cblas.h> because Debian's
// alternatives may point that header at another BLAS. Every benchmark pins OpenBLAS to one
// thread (the issue measures 1 thread; run-level parallelism is the library's plan) and reports
// the kernel family OpenBLAS picked, which OPENBLAS_CORETYPE overrides.
#include <string>

extern "C" {
int openblas_get_num_threads(void);
void openblas_set_num_threads(int num_threads);
char* openblas_get_corename(void);
}

namespace rnncell_bench {

inline void pin_openblas_to_one_thread() { openblas_set_num_threads(1); }

inline std::string openblas_core_name() {
  const char* name = openblas_get_corename();
  return name ? name : "unknown";
}

}  // namespace rnncell_bench
