// Google Benchmark cases for rnncell::GRUCell<In, H, float, rnncell::reset_before> (see cell_benchmarks.hpp).
#include "cell_benchmarks.hpp"

namespace {
template <std::size_t In, std::size_t H>
using cell = rnncell::GRUCell<In, H, float, rnncell::reset_before>;
const bool registered = rnncell_bench::register_cell_benchmarks<cell>(rnncell_bench::cell_kind::gru_reset_before);
}  // namespace
