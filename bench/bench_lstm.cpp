// Google Benchmark cases for rnncell::LSTMCell<In, H, float> (see cell_benchmarks.hpp): the same
// sizes and passes as the GRU's.
#include "cell_benchmarks.hpp"

namespace {
template <std::size_t In, std::size_t H>
using cell = rnncell::LSTMCell<In, H, float>;
const bool registered = rnncell_bench::register_cell_benchmarks<cell>(rnncell_bench::cell_kind::lstm);
}  // namespace
