// rnncell and xtensor-blas in one translation unit: xtensor-blas bundles a cblas.h whose enums
// clash with OpenBLAS's, so rnncell must not include <cblas.h> (detail/gemm.hpp binds the two
// functions it needs itself). A user of xt::linalg can include rnncell beside it.
#include <rnncell/rnncell.hpp>
#include <xtensor-blas/xlinalg.hpp>

#include <cmath>
#include <cstdio>

int main() {
  // h_1 of a GRU from h0 = 0 with z, r, n weights: z = s(x Wxz), n = tanh(x Wxn), h_1 = z * n.
  rnncell::GRUCell<3, 2, double> cell;
  rnncell::rng g(7);
  cell.initialize(g);
  const xt::xtensor<double, 3> x{{{0.5, -1.0, 0.25}}};
  rnncell::GRUCell<3, 2, double>::workspace ws;
  cell.forward(x, ws);
  const xt::xtensor<double, 1> a = xt::linalg::dot(xt::xtensor<double, 1>(xt::view(x, 0, 0)), cell.params.Wx);
  double worst = 0;
  for (std::size_t j = 0; j < 2; ++j) {
    const double z = 1 / (1 + std::exp(-a(j))), n = std::tanh(a(4 + j));
    worst = std::max(worst, std::abs(ws.outputs()(0, 0, j) - z * n));
  }
  std::printf("GRU h_1 against xt::linalg::dot: max error %.3g\n", worst);
  return worst < 1e-12 ? 0 : 1;
}
