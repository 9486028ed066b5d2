// Google Benchmark cases for rnncell::MGUCell<In, H, float> (see cell_benchmarks.hpp).
#include "cell_benchmarks.hpp"

namespace {
template <std::size_t In, std::size_t H>
using cell = rnncell::MGUCell<In, H, float>;
const bool registered = rnncell_bench::register_cell_benchmarks<cell>(rnncell_bench::cell_kind::mgu);
}  // namespace
