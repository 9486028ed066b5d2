// PyTorch state dicts loaded by name (issue 29). Two PyTorch models, GRU and LSTM alike:
//   rnn = nn.GRU(5, 8), rnn2 = nn.GRU(8, 8, num_layers=3), fc = nn.Linear(8, 4), in float64,
//   x (T = 60, B = 2, 5) -> rnn -> rnn2 -> fc on the last step -> logits (2, 4),
// their state dicts saved as .safetensors and .npz, each in float32 and float64, with weights
// rounded to float32 first so that all four files hold the same values and one set of PyTorch's
// outputs serves them all. read_tensors reads each file, import_pytorch_stack(model.rnn, tensors,
// {"rnn", "rnn2"}) and import_pytorch_linear(model.head, tensors, "fc") fill a
// Model<Stacked<Cell, 4>, Dense<8, 4>>, which must give PyTorch's logits and top-layer outputs.
// Refusals: a missing or misshapen tensor throws naming it, and leaves the parameters unchanged.
// tests/oracle/make_state_dict_fixtures.py wrote the fixtures.
#include "support/oracle.hpp"
#include "support/parameter_values.hpp"

#include <doctest/doctest.h>

#include <rnncell/dense.hpp>
#include <rnncell/gru.hpp>
#include <rnncell/import.hpp>
#include <rnncell/lstm.hpp>
#include <rnncell/model.hpp>
#include <rnncell/stacked.hpp>
#include <rnncell/tensors.hpp>

#include <array>
#include <cstddef>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

using namespace rnncell::test;
using rnncell::tensor_map;

namespace {

constexpr std::string_view case_name = "state_dict";
constexpr std::size_t In = 5, H = 8, Classes = 4;

template <class T>
using gru_cell = rnncell::GRUCell<In, H, T, rnncell::reset_after>;  // nn.GRU is reset-after
template <class T>
using gru_upper = rnncell::GRUCell<H, H, T, rnncell::reset_after>;
template <class T>
using gru_model = rnncell::Model<rnncell::Stacked<gru_cell<T>, 4>, rnncell::Dense<H, Classes, T>>;
template <class T>
using lstm_model = rnncell::Model<rnncell::Stacked<rnncell::LSTMCell<In, H, T>, 4>, rnncell::Dense<H, Classes, T>>;

// Each model's state dict in four files: <model>_<file>.
constexpr std::array<std::string_view, 4> files{"f32.safetensors", "f64.safetensors", "f32.npz", "f64.npz"};

tensor_map read_fixture(std::string_view model, std::string_view file) {
  const auto path =
      std::filesystem::path(RNNCELL_ORACLE_DIR) / case_name / (std::string(model) + "_" + std::string(file));
  REQUIRE_MESSAGE(std::filesystem::exists(path),
                  "missing oracle fixture " << path << " (regenerate as tests/oracle/README.md says)");
  return rnncell::read_tensors(path);
}

// The state dict PyTorch writes for the model, name -> shape, for `gates` gate blocks (GRU 3, LSTM 4).
std::map<std::string, std::vector<std::size_t>> pytorch_names(std::size_t gates) {
  std::map<std::string, std::vector<std::size_t>> names{{"fc.weight", {Classes, H}}, {"fc.bias", {Classes}}};
  for (const auto& [module, layers, input] : {std::tuple{"rnn", 1, In}, std::tuple{"rnn2", 3, H}})
    for (int k = 0; k < layers; ++k) {
      const std::string prefix = std::string(module) + ".", suffix = "_l" + std::to_string(k);
      names[prefix + "weight_ih" + suffix] = {gates * H, k == 0 ? input : H};
      names[prefix + "weight_hh" + suffix] = {gates * H, H};
      names[prefix + "bias_ih" + suffix] = {gates * H};
      names[prefix + "bias_hh" + suffix] = {gates * H};
    }
  return names;
}

using rnncell::test::check_unchanged;
using rnncell::test::parameters_of;

// The what() of the std::invalid_argument `call` throws; fails the test if it throws nothing.
template <class F>
std::string refusal(F&& call) {
  try {
    call();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  FAIL("no std::invalid_argument thrown");
  return {};
}

// The refusal names the tensor and leaves net's parameters as they were.
template <class Net, class F>
void check_refused(Net& net, std::string_view tensor_name, F&& call) {
  const auto before = parameters_of(net);
  const std::string message = refusal(call);
  INFO("message: " << message);
  CHECK(message.find(std::string(tensor_name)) != std::string::npos);
  check_unchanged(net, before);
}

template <class Model>
void check_against_torch(std::string_view model_name, double tolerance) {
  using T = typename Model::value_type;
  const auto x = load<T, 3>(case_name, "x");
  for (const std::string_view file : files) {
    const tensor_map tensors = read_fixture(model_name, file);
    Model model(/*seed=*/1);  // Glorot weights and zero biases: the imports overwrite every one
    rnncell::import_pytorch_stack(model.rnn, tensors, {"rnn", "rnn2"});
    rnncell::import_pytorch_linear(model.head, tensors, "fc");
    const std::string label = std::string(model_name) + "_" + std::string(file);
    comparison compare(label + (std::is_same_v<T, double> ? " <double>" : " <float>"), tolerance);
    compare("logits", model.predict(x), load_raw(case_name, std::string(model_name) + "_logits"));
    typename Model::stack_type::workspace ws;
    model.rnn.forward(x, ws);
    compare("y", ws.outputs(), load_raw(case_name, std::string(model_name) + "_y"));
  }
}

}  // namespace

TEST_CASE("state dict: the four files of a model hold PyTorch's names and shapes, and the same values") {
  for (const auto& [model_name, gates] : {std::pair{"gru", std::size_t(3)}, std::pair{"lstm", std::size_t(4)}}) {
    const std::string_view model = model_name;  // a variable the INFO below can capture
    const auto expected = pytorch_names(gates);
    const tensor_map reference = read_fixture(model, "f64.safetensors");
    for (const std::string_view file : files) {
      const tensor_map tensors = read_fixture(model, file);
      INFO(model << "_" << file);
      REQUIRE(tensors.size() == expected.size());
      for (const auto& entry : expected) {
        const std::string& name = entry.first;
        INFO(name);
        REQUIRE(tensors.contains(name));
        const auto& t = tensors.find(name)->second;
        CHECK(std::vector<std::size_t>(t.shape().begin(), t.shape().end()) == entry.second);
        // The float32 files' values, widened to double, are the float64 files' exactly.
        CHECK(t == reference.find(name)->second);
      }
    }
  }
}

TEST_CASE("state dict: a PyTorch GRU model imported by name gives its logits and top-layer outputs") {
  check_against_torch<gru_model<double>>("gru", 1e-12);
  check_against_torch<gru_model<float>>("gru", 1e-5);
}

TEST_CASE("state dict: a PyTorch LSTM model imported by name gives its logits and top-layer outputs") {
  check_against_torch<lstm_model<double>>("lstm", 1e-12);
  check_against_torch<lstm_model<float>>("lstm", 1e-5);
}

TEST_CASE("state dict: one layer by name loads as the array importers do, and is the stack's layer") {
  SUBCASE("GRU") {
    const tensor_map tensors = read_fixture("gru", "f64.safetensors");
    const auto named = [&](const std::string& name) { return tensors.find(name)->second; };
    gru_upper<double> by_name, by_arrays;
    rnncell::import_pytorch_gru(by_name, tensors, "rnn2", 2);
    rnncell::import_pytorch_gru(by_arrays, xt::xtensor<double, 2>(named("rnn2.weight_ih_l2")),
                                xt::xtensor<double, 2>(named("rnn2.weight_hh_l2")),
                                xt::xtensor<double, 1>(named("rnn2.bias_ih_l2")),
                                xt::xtensor<double, 1>(named("rnn2.bias_hh_l2")));
    CHECK(parameters_of(by_name) == parameters_of(by_arrays));

    gru_cell<double> bottom;
    rnncell::import_pytorch_gru(bottom, tensors, "rnn", 0);
    gru_model<double> model(/*seed=*/1);
    rnncell::import_pytorch_stack(model.rnn, tensors, {"rnn", "rnn2"});
    CHECK(parameters_of(model.rnn.layer<0>()) == parameters_of(bottom));
    CHECK(parameters_of(model.rnn.layer<3>()) == parameters_of(by_name));  // rnn's 1 layer, then rnn2's 3
  }
  SUBCASE("LSTM") {
    const tensor_map tensors = read_fixture("lstm", "f64.npz");
    const auto named = [&](const std::string& name) { return tensors.find(name)->second; };
    rnncell::LSTMCell<H, H, double> by_name, by_arrays;
    rnncell::import_pytorch_lstm(by_name, tensors, "rnn2", 1);
    rnncell::import_pytorch_lstm(by_arrays, xt::xtensor<double, 2>(named("rnn2.weight_ih_l1")),
                                 xt::xtensor<double, 2>(named("rnn2.weight_hh_l1")),
                                 xt::xtensor<double, 1>(named("rnn2.bias_ih_l1")),
                                 xt::xtensor<double, 1>(named("rnn2.bias_hh_l1")));
    CHECK(parameters_of(by_name) == parameters_of(by_arrays));
    lstm_model<double> model(/*seed=*/1);
    rnncell::import_pytorch_stack(model.rnn, tensors, {"rnn", "rnn2"});
    CHECK(parameters_of(model.rnn.layer<2>()) == parameters_of(by_name));
  }
  SUBCASE("Linear: W = weight^T, b = bias") {
    const tensor_map tensors = read_fixture("gru", "f32.npz");
    rnncell::Dense<H, Classes, double> dense;
    rnncell::import_pytorch_linear(dense, tensors, "fc");
    CHECK(xt::xarray<double>(dense.params.W) == xt::transpose(tensors.find("fc.weight")->second));
    CHECK(xt::xarray<double>(dense.params.b) == tensors.find("fc.bias")->second);
  }
}

TEST_CASE("state dict: a missing tensor is refused by its full name, and nothing is written") {
  const tensor_map tensors = read_fixture("gru", "f64.safetensors");
  gru_model<double> model(/*seed=*/1);

  SUBCASE("a module the dict does not hold") {
    gru_cell<double> cell;
    check_refused(cell, "rnn3.weight_ih_l0", [&] { rnncell::import_pytorch_gru(cell, tensors, "rnn3", 0); });
    check_refused(model, "rnn3.weight_ih_l0", [&] {
      rnncell::import_pytorch_stack(model.rnn, tensors, {"rnn", "rnn3"});
    });
    check_refused(model, "head.weight", [&] { rnncell::import_pytorch_linear(model.head, tensors, "head"); });
  }
  SUBCASE("a layer past the module's") {
    gru_upper<double> cell;
    check_refused(cell, "rnn2.weight_ih_l3", [&] { rnncell::import_pytorch_gru(cell, tensors, "rnn2", 3); });
  }
  SUBCASE("one tensor of an upper layer: the layers below it are not written either") {
    tensor_map partial = tensors;
    partial.erase("rnn2.bias_hh_l1");
    check_refused(model, "rnn2.bias_hh_l1", [&] {
      rnncell::import_pytorch_stack(model.rnn, partial, {"rnn", "rnn2"});
    });
    partial = tensors;
    partial.erase("fc.bias");
    check_refused(model, "fc.bias", [&] { rnncell::import_pytorch_linear(model.head, partial, "fc"); });
  }
  SUBCASE("a middle layer missing whole: named, not skipped (the layers count up to the highest)") {
    tensor_map gap = tensors;
    for (const char* member : {"weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"})
      gap.erase(std::string("rnn2.") + member);
    check_refused(model, "rnn2.weight_ih_l1", [&] { rnncell::import_pytorch_stack(model.rnn, gap, {"rnn", "rnn2"}); });
  }
  SUBCASE("a bidirectional module (weight_ih_l0_reverse) is refused, not half loaded") {
    tensor_map both = tensors;
    both.emplace("rnn.weight_ih_l0_reverse", both.at("rnn.weight_ih_l0"));
    check_refused(model, "rnn.weight_ih_l0_reverse", [&] {
      rnncell::import_pytorch_stack(model.rnn, both, {"rnn", "rnn2"});
    });
  }
  SUBCASE("modules whose layers do not add up to the stack's") {
    const auto before = parameters_of(model);
    const std::string fewer = refusal([&] { rnncell::import_pytorch_stack(model.rnn, tensors, {"rnn2"}); });
    INFO("message: " << fewer);
    CHECK(fewer.find("3 layers") != std::string::npos);
    const std::string more = refusal([&] { rnncell::import_pytorch_stack(model.rnn, tensors, {"rnn2", "rnn2"}); });
    INFO("message: " << more);
    CHECK(more.find("6 layers") != std::string::npos);
    check_unchanged(model, before);
  }
}

TEST_CASE("state dict: a misshapen tensor is refused by name, and nothing is written") {
  const tensor_map tensors = read_fixture("gru", "f32.safetensors");

  SUBCASE("a cell of another width") {
    rnncell::GRUCell<In, 9, double, rnncell::reset_after> cell;
    check_refused(cell, "rnn.weight_ih_l0", [&] { rnncell::import_pytorch_gru(cell, tensors, "rnn", 0); });
    rnncell::Model<rnncell::Stacked<rnncell::GRUCell<In, 9, double, rnncell::reset_after>, 4>,
                   rnncell::Dense<9, Classes, double>>
        wide(/*seed=*/1);
    check_refused(wide, "rnn.weight_ih_l0", [&] { rnncell::import_pytorch_stack(wide.rnn, tensors, {"rnn", "rnn2"}); });
    check_refused(wide, "fc.weight", [&] { rnncell::import_pytorch_linear(wide.head, tensors, "fc"); });
  }
  SUBCASE("a GRU's dict into LSTM cells: 3H rows where 4H are expected") {
    lstm_model<double> model(/*seed=*/1);
    check_refused(model, "rnn.weight_ih_l0", [&] {
      rnncell::import_pytorch_stack(model.rnn, tensors, {"rnn", "rnn2"});
    });
  }
  SUBCASE("one tensor of the top layer, and a transposed Linear weight") {
    gru_model<double> model(/*seed=*/1);
    tensor_map bent = tensors;
    bent["rnn2.weight_hh_l2"] = xt::zeros<double>({3 * H, H + 1});
    check_refused(model, "rnn2.weight_hh_l2", [&] { rnncell::import_pytorch_stack(model.rnn, bent, {"rnn", "rnn2"}); });
    bent = tensors;
    bent["fc.weight"] = xt::transpose(tensors.find("fc.weight")->second);  // (In, Out): nn.Linear's is (Out, In)
    check_refused(model, "fc.weight", [&] { rnncell::import_pytorch_linear(model.head, bent, "fc"); });
  }
}
