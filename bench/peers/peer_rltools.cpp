// Training peer for issue 13: ns per train step of RLtools' own GRU sequence model, the one its
// README's "Performance" section times (rl-tools/rl-tools, tests/src/nn/layers/gru/: the layer
// types of gru_model.h at its BASE sizes, the loop body of gru_training.cpp).
//
//   tokens (T, B) -> Embedding 256 x 32 -> GRU 32 -> 64 -> Dense 64 -> 32 -> Dense 32 -> 256
//   (both Dense identity), softmax cross-entropy at every step, mean over the T*B rows, Adam.
//   B = 32, T = 64, float32, 1 thread.
//
// One timed train step is exactly gru_training.cpp's, minus reading the text:
//   forward(model, tokens) -> gradient_tiled (dLoss/dlogits; the loss value is not computed:
//   gru_training.cpp evaluates it on every 25th batch only) -> zero_gradient -> backward (full
//   BPTT, dLoss/dx of the GRU for the embedding's gradient) -> Adam step on every parameter.
// The batches are random token ids and targets, made before timing (a ring of `ring` batches).
// bench/README.md ("Sequence model against RLtools") lists the model's details that our side must match.
//
// Before timing, a sanity check that the step trains: the mean loss over one fixed batch must
// start near ln(256) and fall after `check_steps` train steps on it; a build whose loss does not
// is reported with ns_per_train_step -1 and not timed.
// Backend: RLtools' generic CPU code, or its OpenBLAS backend when bench/CMakeLists.txt defines
// RL_TOOLS_BACKEND_ENABLE_OPENBLAS (what RLtools' own CMake does when it finds a BLAS).
#include <rl_tools/operations/cpu_mux.h>
#include <rl_tools/nn/optimizers/adam/instance/operations_generic.h>
#include <rl_tools/nn/layers/embedding/operations_generic.h>
#include <rl_tools/nn/layers/gru/operations_generic.h>
#include <rl_tools/nn/operations_cpu_mux.h>
#include <rl_tools/nn/loss_functions/categorical_cross_entropy/operations_generic.h>
#include <rl_tools/nn_models/sequential/operations_generic.h>
#include <rl_tools/nn/optimizers/adam/operations_generic.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "peer_common.hpp"

#ifndef RNNCELL_BENCH_FLAVOUR
#error "RNNCELL_BENCH_FLAVOUR (default, native or ofast) is set by bench/CMakeLists.txt"
#endif
#ifdef RL_TOOLS_BACKEND_ENABLE_OPENBLAS
#define RNNCELL_BENCH_RLTOOLS_BACKEND "openblas"
#else
#define RNNCELL_BENCH_RLTOOLS_BACKEND "generic"
#endif

namespace rlt = rl_tools;

namespace {

// The device of gru_training.cpp: RLtools' "mux" picks OpenBLAS when it is enabled, else generic.
using math_device = rlt::devices::math::CPU;
using random_device = rlt::devices::random::Generic<math_device>;
using device_spec = rlt::devices::cpu::Specification<math_device, random_device, rlt::LOGGER_FACTORY<>>;
using device_t = rlt::devices::DEVICE_FACTORY<device_spec>;
using TI = device_t::index_t;
using T = float;
using type_policy = rlt::numeric_types::Policy<T>;

// gru_model.h's Config with its BASE sizes (its PARAMS currently selects a larger "USEFUL" set;
// its README's timings and issue 13 use BASE).
constexpr TI classes = 256, batch = 32, embedding_dim = 32, hidden_dim = 64, sequence_length = 64;
constexpr bool fast_tanh = true;  // gru_model.h's choice: rational tanh and sigmoid in the GRU

using input_shape = rlt::tensor::Shape<TI, sequence_length, batch, 1>;
using embedding_layer = rlt::nn::layers::embedding::BindConfiguration<
    rlt::nn::layers::embedding::Configuration<type_policy, TI, classes, embedding_dim>>;
using gru_layer = rlt::nn::layers::gru::BindConfiguration<
    rlt::nn::layers::gru::Configuration<type_policy, TI, hidden_dim, rlt::nn::parameters::groups::Normal, fast_tanh>>;
template <TI Out>
using dense_layer = rlt::nn::layers::dense::BindConfiguration<rlt::nn::layers::dense::Configuration<
    type_policy, TI, Out, rlt::nn::activation_functions::ActivationFunction::IDENTITY,
    rlt::nn::layers::dense::DefaultInitializer<type_policy, TI>, rlt::nn::parameters::groups::Normal>>;
template <class Content, class Next = rlt::nn_models::sequential::OutputModule>
using module = rlt::nn_models::sequential::Module<Content, Next>;
using module_chain = module<embedding_layer, module<gru_layer, module<dense_layer<embedding_dim>, module<dense_layer<classes>>>>>;
using model_t = rlt::nn_models::sequential::Build<rlt::nn::capability::Gradient<rlt::nn::parameters::Adam>, module_chain, input_shape>;

struct adam_parameters : rlt::nn::optimizers::adam::DEFAULT_PARAMETERS_TENSORFLOW<type_policy> {
  static constexpr T ALPHA = 0.003;  // gru_model.h's
};
using optimizer_t = rlt::nn::optimizers::Adam<rlt::nn::optimizers::adam::Specification<type_policy, TI, adam_parameters>>;

// Token ids are stored as T, as gru_training.cpp stores its characters.
using tokens_t = rlt::Tensor<rlt::tensor::Specification<T, TI, model_t::INPUT_SHAPE>>;
using targets_t = rlt::Tensor<rlt::tensor::Specification<T, TI, rlt::tensor::Shape<TI, sequence_length, batch, 1>>>;
using d_output_t = rlt::Tensor<rlt::tensor::Specification<T, TI, model_t::OUTPUT_SHAPE>>;

constexpr int ring = 4, check_steps = 20;

// output() hands out a const view of the logits, and at this RLtools commit gradient_tiled and
// evaluate read its rows through the non-const row(), which does not compile on a const view
// (gru_training.cpp, which does the same, is built only with HDF5 enabled). So: the same memory
// through a mutable view.
template <class Spec>
auto mutable_view(rlt::Matrix<Spec> m) {
  rlt::Matrix<rlt::matrix::Specification<typename Spec::T, typename Spec::TI, Spec::ROWS, Spec::COLS, true, typename Spec::LAYOUT>> out;
  out._data = const_cast<typename Spec::T*>(m._data);
  return out;
}

class trainer {
 public:
  trainer() {
    rlt::init(device_);
    rlt::init(device_, rng_, 0);
    rlt::malloc(device_, model_);
    rlt::malloc(device_, buffer_);
    rlt::malloc(device_, optimizer_);
    rlt::malloc(device_, d_output_);
    rlt::init_weights(device_, model_, rng_);
    rlt::init(device_, optimizer_);
    rlt::reset_optimizer_state(device_, optimizer_, model_);
    for (int i = 0; i < ring; ++i) {
      rlt::malloc(device_, tokens_[i]);
      rlt::malloc(device_, targets_[i]);
      for (TI t = 0; t < sequence_length; ++t)
        for (TI b = 0; b < batch; ++b) {
          rlt::set(device_, tokens_[i], T(rlt::random::uniform_int_distribution(device_.random, TI(0), classes - 1, rng_)), t, b, 0);
          rlt::set(device_, targets_[i], T(rlt::random::uniform_int_distribution(device_.random, TI(0), classes - 1, rng_)), t, b, 0);
        }
    }
  }
  trainer(const trainer&) = delete;
  trainer& operator=(const trainer&) = delete;
  ~trainer() {
    for (int i = 0; i < ring; ++i) {
      rlt::free(device_, tokens_[i]);
      rlt::free(device_, targets_[i]);
    }
    rlt::free(device_, d_output_);
    rlt::free(device_, optimizer_);
    rlt::free(device_, buffer_);
    rlt::free(device_, model_);
  }

  // The timed unit: gru_training.cpp's loop body on batch i of the ring.
  void train_step(int i) {
    rlt::forward(device_, model_, tokens_[i], buffer_, rng_);
    auto logits = mutable_view(rlt::matrix_view(device_, rlt::output(device_, model_)));
    auto targets = rlt::matrix_view(device_, targets_[i]);
    auto d_logits = rlt::matrix_view(device_, d_output_);
    rlt::nn::loss_functions::categorical_cross_entropy::gradient_tiled(device_, logits, targets, d_logits);
    rlt::zero_gradient(device_, model_);
    rlt::backward(device_, model_, tokens_[i], d_output_, buffer_);
    rlt::step(device_, optimizer_, model_);
  }

  // Mean cross-entropy over the T*B rows of batch i (not timed).
  double loss(int i) {
    rlt::forward(device_, model_, tokens_[i], buffer_, rng_);
    auto logits = mutable_view(rlt::matrix_view(device_, rlt::output(device_, model_)));
    return rlt::nn::loss_functions::categorical_cross_entropy::evaluate(device_, logits, rlt::matrix_view(device_, targets_[i]));
  }

 private:
  device_t device_;
  device_t::SPEC::RANDOM::ENGINE<> rng_;
  model_t model_;
  model_t::Buffer<> buffer_;
  optimizer_t optimizer_;
  tokens_t tokens_[ring];
  targets_t targets_[ring];
  d_output_t d_output_;
};

}  // namespace

// Accepts --min-time=SECONDS (per measurement) and --rounds=N; prints one JSON line.
int main(int argc, char** argv) try {
  double min_time = 0.2;
  int rounds = 3;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a.starts_with("--rounds="))
      rounds = rnncell_bench::parse_int_list(a.substr(9), "--rounds").at(0);
    else if (a.starts_with("--min-time="))
      min_time = std::stod(std::string(a.substr(11)));
    else
      throw std::invalid_argument("unknown argument '" + std::string(a) + "'; expected --min-time=SECONDS, --rounds=N");
  }
  auto net = std::make_unique<trainer>();
  const double loss_initial = net->loss(0);
  for (int s = 0; s < check_steps; ++s) net->train_step(0);
  const double loss_trained = net->loss(0);
  // A model that does not train (loss far from ln 256 at the start, or not falling) is not timed.
  const bool trains = std::abs(loss_initial - std::log(double(classes))) < 1.0 && loss_trained < loss_initial - 0.1;

  double best_ns = std::numeric_limits<double>::infinity();
  for (int round = 0; trains && round < rounds; ++round) {
    int next = 0;
    const double ms = rnncell_bench::median_ms([&] { net->train_step(next++ % ring); }, min_time);
    best_ns = std::min(best_ns, ms * 1e6);
  }
  std::printf(
      "{\"tool\": \"rltools-%s\", \"build\": \"%s\", \"pass\": \"seq_train_step\", \"batch\": %d, \"steps\": %d, "
      "\"embedding\": %d, \"hidden\": %d, \"classes\": %d, \"ns_per_train_step\": %.6g, \"loss_initial\": %.5g, "
      "\"check_steps\": %d, \"loss_trained\": %.5g, \"note\": \"%s\"}\n",
      RNNCELL_BENCH_RLTOOLS_BACKEND, RNNCELL_BENCH_FLAVOUR, int(batch), int(sequence_length), int(embedding_dim),
      int(hidden_dim), int(classes), trains ? best_ns : -1.0, loss_initial, check_steps, loss_trained,
      trains ? "" : "the loss did not start near ln 256 or did not fall: not timed");
  return 0;  // a model that does not train is in the record, for the report to say
} catch (const std::exception& e) {
  std::fprintf(stderr, "peer_rltools: %s\n", e.what());
  return 1;
}
