// Writes every number a few training steps produce (losses, every gradient and weight after each
// step, each cell's dx and dh0) as raw bytes, for every cell kind, in float and double, one layer
// and more. Two builds of this file against two revisions of the headers, run on the same
// machine, must write identical files when a change claims "numerics bitwise unchanged"
// (scripts/check-numerics.sh does that). Uses only API that a refactor keeps.
#include <rnncell/rnncell.hpp>

#include <cstdint>
#include <cstdio>
#include <vector>

namespace {

std::FILE* out = nullptr;

template <class T>
void put(const T* data, std::size_t n) {
  std::fwrite(data, sizeof(T), n, out);
}

template <class T>
xt::xtensor<T, 3> random_sequence(std::size_t steps, std::size_t batch, std::size_t in, std::uint64_t seed) {
  rnncell::rng g(seed);
  xt::xtensor<T, 3> x = xt::zeros<T>({steps, batch, in});
  for (auto& v : x) v = T(g.uniform(-1.0, 1.0));
  return x;
}

template <class Obj>
void put_parameters_and_grads(Obj& obj) {
  obj.for_each_parameter_and_grad([](std::string_view, auto& p, auto& g) {
    put(p.data(), p.size());
    put(g.data(), g.size());
  });
}

template <class Cell>
void cell_case(std::uint64_t seed) {
  using T = typename Cell::value_type;
  constexpr std::size_t steps = 6, batch = 4, H = Cell::hidden_width;
  Cell cell;
  rnncell::rng g(seed);
  cell.initialize(g);
  for (auto& v : cell.params.b) v = T(g.uniform(-0.5, 0.5));
  const auto x = random_sequence<T>(steps, batch, Cell::input_width, seed + 1);
  const auto dh = random_sequence<T>(steps, batch, H, seed + 2);
  typename Cell::workspace ws;
  xt::xtensor<T, 2> h0 = xt::xtensor<T, 2>(xt::view(random_sequence<T>(1, batch, Cell::state_width, seed + 3), 0));
  for (int round = 0; round < 2; ++round) {
    cell.forward(x, ws, h0);
    const xt::xtensor<T, 3> o = ws.outputs();  // h of every step (LSTM's: strided in [h | c])
    put(o.data(), o.size());
    cell.backward(x, ws, dh);
    auto dx = ws.dx();
    auto dh0 = ws.dh0();
    put(dx.data(), dx.size());
    put(dh0.data(), dh0.size());
    put_parameters_and_grads(cell);
  }
}

template <class M>
void model_case(std::uint64_t seed) {
  using T = typename M::value_type;
  constexpr std::size_t steps = 7, batch = 8;
  M model(seed);
  const auto x = random_sequence<T>(steps, batch, M::input_width, seed + 1);
  std::vector<int> labels(batch);
  for (std::size_t i = 0; i < batch; ++i) labels[i] = int((i * 7 + seed) % M::classes);
  for (int s = 0; s < 4; ++s) {
    const auto m = model.train_on_batch(x, labels);
    put(&m.loss, 1);
    put(&m.accuracy, 1);
    put_parameters_and_grads(model);
  }
  const auto& logits = model.predict(x);
  put(logits.data(), logits.size());
}

template <class T>
void all_cases() {
  using namespace rnncell;
  cell_case<GRUCell<5, 7, T, reset_before>>(11);
  cell_case<GRUCell<5, 7, T, reset_after>>(12);
  cell_case<MGUCell<5, 7, T>>(13);
  cell_case<GRUCell<28, 50, T>>(14);
  cell_case<MGUCell<28, 50, T>>(15);
  cell_case<LSTMCell<28, 50, T>>(16);
  model_case<Model<Stacked<GRUCell<28, 50, T>, 1>, Dense<50, 10, T>>>(21);
  model_case<Model<Stacked<GRUCell<28, 64, T, reset_after>, 3>, Dense<64, 10, T>>>(22);
  model_case<Model<Stacked<GRUCell<28, 64, T>, 3>, Dense<64, 10, T>>>(23);
  model_case<Model<Stacked<MGUCell<28, 64, T>, 3>, Dense<64, 10, T>>>(24);
  model_case<Model<Stacked<LSTMCell<28, 64, T>, 2>, Dense<64, 10, T>>>(25);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_FILE\n", argv[0]);
    return 2;
  }
  out = std::fopen(argv[1], "wb");
  if (!out) {
    std::perror(argv[1]);
    return 1;
  }
  all_cases<float>();
  all_cases<double>();
  return std::fclose(out) == 0 ? 0 : 1;
}
