// ONNX export and import (rnncell/onnx.hpp, issue 29), with real tools as the oracles:
// - ONNX Runtime 1.30 (onnxruntime-node, tests/onnx/run_onnxruntime.js) runs every exported model:
//   GRU reset-before, reset-after, MGU and LSTM, 1 and 3 layers, with and without sequence_lens;
//   its logits must equal predict's within 1e-5 (float);
// - save_onnx then load_onnx gives back every parameter bit for bit (float and double);
// - the graphs torch.onnx.export wrote for nn.GRU / nn.LSTM (2 and 3 layers) + nn.Linear
//   (tests/oracle/make_onnx_fixtures.py) load and match PyTorch's logits: 1e-5 in float, 1e-12 in
//   double (the file's float32 weights, PyTorch run in float64);
// - hostile files are refused naming the file and the node, and leave the model unchanged.
#include "support/checkpoint_files.hpp"
#include "support/parameter_values.hpp"
#include "support/streaming_checks.hpp"

#include <doctest/doctest.h>

#include <rnncell/onnx.hpp>
#include <rnncell/tensors.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace rnncell;
using checkpoint_test::file_bytes;
using checkpoint_test::temp_dir;

using test::parameters_of;

// A model with every parameter random, biases included (construction zeroes them).
template <class M>
M random_model(std::uint64_t seed) {
  M m(seed);
  rng g(seed + 1);
  m.for_each_parameter([&](std::string_view, auto& p) { test::fill_uniform(p, g, 0.5); });
  return m;
}

void write_raw(const fs::path& path, const void* data, std::size_t bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(static_cast<const char*>(data), std::streamsize(bytes));
  REQUIRE(out.good());
}

// ONNX Runtime's logits for x (and lengths) through tests/onnx/run_onnxruntime.js.
xt::xtensor<float, 2> onnx_runtime_logits(const fs::path& model, const xt::xtensor<float, 3>& x,
                                          const std::vector<int>& lengths, std::size_t classes, const fs::path& dir) {
  const fs::path x_path = dir / "x.bin", out = dir / "logits.bin", lens = dir / "lens.bin";
  write_raw(x_path, x.data(), x.size() * sizeof(float));
  std::string command = std::string("\"") + RNNCELL_NODE + "\" \"" + RNNCELL_ONNX_RUNNER + "\" \"" + model.string() +
                        "\" \"" + x_path.string() + "\" " + std::to_string(x.shape(0)) + " " +
                        std::to_string(x.shape(1)) + " " + std::to_string(x.shape(2)) + " \"" + out.string() + "\"";
  if (!lengths.empty()) {
    const std::vector<std::int32_t> l(lengths.begin(), lengths.end());
    write_raw(lens, l.data(), l.size() * sizeof(std::int32_t));
    command += " \"" + lens.string() + "\"";
  }
  command += " > \"" + (dir / "stdout.txt").string() + "\"";
  const int status = std::system(command.c_str());
  REQUIRE_MESSAGE(status == 0, "ONNX Runtime failed on " << model << ": " << command);
  const std::string bytes = file_bytes(out);
  xt::xtensor<float, 2> logits = xt::xtensor<float, 2>::from_shape({x.shape(1), classes});
  REQUIRE(bytes.size() == logits.size() * sizeof(float));
  std::memcpy(logits.data(), bytes.data(), bytes.size());
  return logits;
}

double max_difference(const auto& a, const auto& b) {
  REQUIRE(a.size() == b.size());
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    worst = std::max(worst, std::abs(double(a.data()[i]) - double(b.data()[i])));
  return worst;
}

// Exports the model with and without sequence_lens, runs both files through ONNX Runtime, and loads
// them back into another model of the type.
template <class M>
void check_through_onnx_runtime(const std::string& name) {
  CAPTURE(name);
  temp_dir dir;
  M model = random_model<M>(7);
  rng g(11);
  const auto x = test::random_sequence<float>(7, 4, M::input_width, g);
  const std::vector<int> lengths{7, 3, 1, 5};
  for (const bool with_lengths : {false, true}) {
    CAPTURE(with_lengths);
    const fs::path path = dir.path / (name + (with_lengths ? "_lengths.onnx" : ".onnx"));
    save_onnx(model, path, {.sequence_lens = with_lengths});
    const xt::xtensor<float, 2> expected = with_lengths ? model.predict(x, lengths) : model.predict(x);
    const auto got = onnx_runtime_logits(path, x, with_lengths ? lengths : std::vector<int>{}, M::classes, dir.path);
    const double error = max_difference(got, expected);
    const std::string label = name + (with_lengths ? " with sequence_lens" : "");
    MESSAGE(label << ": ONNX Runtime vs predict, max |error| " << error);
    CHECK(error < 1e-5);

    // save_onnx then load_onnx: every parameter bit for bit.
    M loaded(99);
    load_onnx(loaded, path);
    const auto want = parameters_of(model), have = parameters_of(loaded);
    REQUIRE(want.size() == have.size());
    for (std::size_t i = 0; i < want.size(); ++i) CHECK(want[i] == have[i]);
  }
}

template <class T, std::size_t L>
using gru_rb = Model<Stacked<GRUCell<5, 6, T, reset_before>, L>, Dense<6, 3, T>>;
template <class T, std::size_t L>
using gru_ra = Model<Stacked<GRUCell<5, 6, T, reset_after>, L>, Dense<6, 3, T>>;
template <class T, std::size_t L>
using mgu = Model<Stacked<MGUCell<5, 6, T>, L>, Dense<6, 3, T>>;
template <class T, std::size_t L>
using lstm = Model<Stacked<LSTMCell<5, 6, T>, L>, Dense<6, 3, T>>;

}  // namespace

TEST_CASE("onnx: GRU reset-before, 1 and 3 layers, through ONNX Runtime") {
  check_through_onnx_runtime<Model<GRUCell<5, 6>, Dense<6, 3>>>("gru_reset_before_cell");
  check_through_onnx_runtime<gru_rb<float, 3>>("gru_reset_before_3");
}

TEST_CASE("onnx: GRU reset-after, 1 and 3 layers, through ONNX Runtime") {
  check_through_onnx_runtime<Model<GRUCell<5, 6, float, reset_after>, Dense<6, 3>>>("gru_reset_after_cell");
  check_through_onnx_runtime<gru_ra<float, 3>>("gru_reset_after_3");
}

TEST_CASE("onnx: MGU (a Scan), 1 and 3 layers, through ONNX Runtime") {
  check_through_onnx_runtime<Model<MGUCell<5, 6>, Dense<6, 3>>>("mgu_cell");
  check_through_onnx_runtime<mgu<float, 3>>("mgu_3");
}

TEST_CASE("onnx: LSTM, 1 and 3 layers, through ONNX Runtime") {
  check_through_onnx_runtime<Model<LSTMCell<5, 6>, Dense<6, 3>>>("lstm_cell");
  check_through_onnx_runtime<lstm<float, 3>>("lstm_3");
}

TEST_CASE("onnx: save_onnx then load_onnx is lossless in double, every cell") {
  temp_dir dir;
  const auto round_trip = [&](auto model, const char* name) {
    CAPTURE(name);
    using M = decltype(model);
    const fs::path path = dir.path / (std::string(name) + ".onnx");
    save_onnx(model, path);
    M loaded(5);
    load_onnx(loaded, path);
    const auto want = parameters_of(model), have = parameters_of(loaded);
    for (std::size_t i = 0; i < want.size(); ++i) CHECK(want[i] == have[i]);
  };
  round_trip(random_model<gru_rb<double, 2>>(1), "gru_rb");
  round_trip(random_model<gru_ra<double, 2>>(2), "gru_ra");
  round_trip(random_model<mgu<double, 2>>(3), "mgu");
  round_trip(random_model<lstm<double, 2>>(4), "lstm");
}

namespace {

// A torch.onnx.export fixture into a model of the matching type: PyTorch's logits within `tolerance`.
template <class M>
void check_torch_fixture(const std::string& stem, double tolerance) {
  CAPTURE(stem);
  using T = typename M::value_type;
  const fs::path dir = fs::path(RNNCELL_ORACLE_DIR) / "onnx";
  const tensor_map arrays = read_tensors(dir / (stem + ".npz"));
  M model(3);
  load_onnx(model, dir / (stem + ".onnx"));
  const xt::xtensor<T, 3> x = xt::cast<T>(arrays.at("x"));
  const auto& expected = arrays.at(std::is_same_v<T, double> ? "logits_f64" : "logits");
  const double error = max_difference(model.predict(x), expected);
  const std::string label = stem + (std::is_same_v<T, double> ? " (double)" : " (float)");
  MESSAGE(label << ": vs PyTorch, max |error| " << error);
  CHECK(error < tolerance);
}

template <class T, std::size_t In, std::size_t H, std::size_t L, std::size_t C>
using torch_gru = Model<Stacked<GRUCell<In, H, T, reset_after>, L>, Dense<H, C, T>>;
template <class T, std::size_t In, std::size_t H, std::size_t L, std::size_t C>
using torch_lstm = Model<Stacked<LSTMCell<In, H, T>, L>, Dense<H, C, T>>;

}  // namespace

TEST_CASE("onnx: torch.onnx.export's nn.GRU and nn.LSTM graphs load and match PyTorch") {
  check_torch_fixture<torch_gru<float, 5, 7, 2, 3>>("gru_l2", 1e-5);
  check_torch_fixture<torch_gru<float, 4, 16, 3, 10>>("gru_l3", 1e-5);
  check_torch_fixture<torch_lstm<float, 5, 7, 2, 3>>("lstm_l2", 1e-5);
  check_torch_fixture<torch_lstm<float, 4, 16, 3, 10>>("lstm_l3", 1e-5);
  check_torch_fixture<torch_gru<double, 5, 7, 2, 3>>("gru_l2", 1e-12);
  check_torch_fixture<torch_gru<double, 4, 16, 3, 10>>("gru_l3", 1e-12);
  check_torch_fixture<torch_lstm<double, 5, 7, 2, 3>>("lstm_l2", 1e-12);
  check_torch_fixture<torch_lstm<double, 4, 16, 3, 10>>("lstm_l3", 1e-12);
}

namespace {

// load_onnx's message on the file `bytes` (written to a file), or "(no error)"; the model must be
// unchanged whenever it throws.
template <class M>
std::string refusal(M& model, const std::string& bytes, const fs::path& path) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
  }
  const auto before = parameters_of(model);
  try {
    load_onnx(model, path);
  } catch (const std::runtime_error& e) {
    test::check_unchanged(model, before);
    CHECK(std::string(e.what()).find(path.filename().string()) != std::string::npos);
    return e.what();
  }
  return "(no error)";
}

// A saved model's ModelProto, edited by `edit`, serialized.
template <class M>
std::string edited(const M& model, const fs::path& path, const std::function<void(onnx::ModelProto&)>& edit,
                   onnx_options options = {}) {
  save_onnx(model, path, options);
  onnx::ModelProto m;
  const std::string bytes = file_bytes(path);
  REQUIRE(m.ParseFromString(bytes));
  edit(m);
  return m.SerializeAsString();
}

onnx::NodeProto& node_named(onnx::GraphProto& g, const std::string& name) {
  for (auto& n : *g.mutable_node())
    if (n.name() == name) return n;
  FAIL("no node " << name);
  throw;
}

void contains(const std::string& message, std::initializer_list<const char*> parts) {
  CAPTURE(message);
  for (const char* part : parts) CHECK(message.find(part) != std::string::npos);
}

}  // namespace

TEST_CASE("onnx: hostile and mismatched files are refused, naming the node, the model unchanged") {
  temp_dir dir;
  const fs::path source = dir.path / "source.onnx", bad = dir.path / "bad.onnx";
  auto gru = random_model<gru_ra<float, 2>>(1);
  auto target = random_model<gru_ra<float, 2>>(2);

  SUBCASE("not ONNX, truncated, missing") {
    save_onnx(gru, source);
    const std::string bytes = file_bytes(source);
    contains(refusal(target, "not a protobuf at all \xff\xff", bad), {"not an ONNX model"});
    for (const std::size_t cut : {std::size_t(3), bytes.size() / 3, bytes.size() / 2, bytes.size() - 1})
      CHECK(refusal(target, bytes.substr(0, cut), bad) != "(no error)");
    CHECK_THROWS_WITH_AS(load_onnx(target, dir.path / "missing.onnx"), doctest::Contains("no such file"), std::runtime_error);
  }
  SUBCASE("the other GRU variant, other widths, another layer count, another head") {
    save_onnx(gru, source);
    const std::string bytes = file_bytes(source);
    auto reset_before = random_model<gru_rb<float, 2>>(3);
    contains(refusal(reset_before, bytes, bad), {"'layer0' (GRU)", "reset-after", "the model's layer is a reset-before"});
    auto wider = random_model<Model<Stacked<GRUCell<5, 8, float, reset_after>, 2>, Dense<8, 3>>>(3);
    contains(refusal(wider, bytes, bad), {"'layer0' (GRU)", "5 inputs to 6 hidden units", "5 to 8"});
    auto deeper = random_model<gru_ra<float, 3>>(3);
    contains(refusal(deeper, bytes, bad), {"2 recurrent layers, the model 3"});
    auto other_head = random_model<Model<Stacked<GRUCell<5, 6, float, reset_after>, 2>, Dense<6, 4>>>(3);
    contains(refusal(other_head, bytes, bad), {"'head' (Gemm)", "6 to 3", "Dense 6 to 4"});
    auto lstm_model = random_model<lstm<float, 2>>(3);
    contains(refusal(lstm_model, bytes, bad), {"is a reset-after GRU", "an LSTM"});
  }
  SUBCASE("attributes the cells do not have") {
    contains(refusal(target, edited(gru, source, [](onnx::ModelProto& m) {
                       auto& a = *node_named(*m.mutable_graph(), "layer1").add_attribute();
                       a.set_name("clip");
                       a.set_type(onnx::AttributeProto_AttributeType_FLOAT);
                       a.set_f(3.f);
                     }), bad),
             {"'layer1' (GRU)", "clip"});
    contains(refusal(target, edited(gru, source, [](onnx::ModelProto& m) {
                       auto& a = *node_named(*m.mutable_graph(), "layer0").add_attribute();
                       a.set_name("direction");
                       a.set_type(onnx::AttributeProto_AttributeType_STRING);
                       a.set_s("reverse");
                     }), bad),
             {"'layer0' (GRU)", "direction = 'reverse'"});
    contains(refusal(target, edited(gru, source, [](onnx::ModelProto& m) {
                       auto& a = *node_named(*m.mutable_graph(), "layer0").add_attribute();
                       a.set_name("activations");
                       a.set_type(onnx::AttributeProto_AttributeType_STRINGS);
                       a.add_strings("Sigmoid");
                       a.add_strings("Relu");
                     }), bad),
             {"'layer0' (GRU)", "activations [Sigmoid, Relu]"});
    auto l = random_model<lstm<float, 1>>(4), l2 = random_model<lstm<float, 1>>(5);
    contains(refusal(l2, edited(l, source, [](onnx::ModelProto& m) {
                       auto& g = *m.mutable_graph();
                       auto& p = *g.add_initializer();
                       p.set_name("peepholes");
                       p.set_data_type(onnx::TensorProto_DataType_FLOAT);
                       p.add_dims(1);
                       p.add_dims(18);
                       for (int i = 0; i < 18; ++i) p.add_float_data(0.5f);
                       auto& n = node_named(g, "layer0");
                       n.add_input("");
                       n.add_input("");
                       n.add_input("");
                       n.add_input("peepholes");
                     }), bad),
             {"'layer0' (LSTM)", "peepholes"});
  }
  SUBCASE("weights of the wrong size, a nonzero initial state, an opset it does not read") {
    contains(refusal(target, edited(gru, source, [](onnx::ModelProto& m) {
                       for (auto& t : *m.mutable_graph()->mutable_initializer())
                         if (t.name() == "layer1.R") t.mutable_raw_data()->resize(t.raw_data().size() - 4);
                     }), bad),
             {"'layer1.R'", "bytes of data"});
    contains(refusal(target, edited(gru, source, [](onnx::ModelProto& m) {
                       for (auto& t : *m.mutable_graph()->mutable_initializer())
                         if (t.name() == "layer0.W") t.set_dims(1, 17);
                     }), bad),
             {"'layer0.W'", "(1, 17, 5)"});
    contains(refusal(target, edited(gru, source, [](onnx::ModelProto& m) {
                       auto& g = *m.mutable_graph();
                       auto& h0 = *g.add_initializer();
                       h0.set_name("h0");
                       h0.set_data_type(onnx::TensorProto_DataType_FLOAT);
                       for (const int d : {1, 4, 6}) h0.add_dims(d);
                       for (int i = 0; i < 24; ++i) h0.add_float_data(i == 5 ? 1.f : 0.f);
                       auto& n = node_named(g, "layer0");
                       n.add_input("");
                       n.add_input("h0");
                     }), bad),
             {"'layer0' (GRU)", "initial h 'h0' is not zero"});
    contains(refusal(target, edited(gru, source, [](onnx::ModelProto& m) { m.mutable_opset_import(0)->set_version(9); }), bad),
             {"opset 9"});
  }
  SUBCASE("operators it does not load, nodes it cannot account for") {
    contains(refusal(target, edited(gru, source, [](onnx::ModelProto& m) {
                       auto& g = *m.mutable_graph();
                       auto& relu = *g.add_node();
                       relu.set_op_type("Relu");
                       relu.set_name("sneaky");
                       relu.add_input("last_state");
                       relu.add_output("relu_state");
                       node_named(g, "head").set_input(0, "relu_state");
                     }), bad),
             {"'sneaky' (Relu)", "expected the last state"});
    contains(refusal(target, edited(gru, source, [](onnx::ModelProto& m) {
                       auto& extra = *m.mutable_graph()->add_node();
                       extra.set_op_type("Identity");
                       extra.set_name("dangling");
                       extra.add_input("x");
                       extra.add_output("x_again");
                     }), bad),
             {"'dangling' (Identity)", "not part of"});
    contains(refusal(target, edited(gru, source, [](onnx::ModelProto& m) {
                       auto& in = *m.mutable_graph()->add_input();
                       in.set_name("h0");
                       in.mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto_DataType_FLOAT);
                     }), bad),
             {"graph input 'h0'"});
  }
  SUBCASE("names and attributes given twice, shadowed weights (ONNX Runtime would read the other one)") {
    auto rb = random_model<gru_rb<float, 2>>(4), rb2 = random_model<gru_rb<float, 2>>(5);
    contains(refusal(rb2, edited(rb, source, [](onnx::ModelProto& m) {
                       auto& a = *node_named(*m.mutable_graph(), "layer0").add_attribute();
                       a.set_name("linear_before_reset");
                       a.set_type(onnx::AttributeProto_AttributeType_INT);
                       a.set_i(1);
                     }), bad),
             {"'layer0' (GRU)", "attribute 'linear_before_reset' twice"});
    contains(refusal(target, edited(gru, source, [](onnx::ModelProto& m) {
                       auto& g = *m.mutable_graph();
                       *g.add_initializer() = g.initializer(0);
                     }), bad),
             {"is given twice"});
    contains(refusal(target, edited(gru, source, [](onnx::ModelProto& m) {
                       auto& g = *m.mutable_graph();
                       g.add_sparse_initializer()->mutable_values()->set_name("head.W");
                     }), bad),
             {"sparse initializers"});
    contains(refusal(target, edited(gru, source, [](onnx::ModelProto& m) {
                       auto& g = *m.mutable_graph();
                       auto& c = *g.add_node();
                       c.set_op_type("Constant");
                       c.set_name("shadow");
                       c.add_output("layer0.W");
                     }), bad),
             {"'shadow' (Constant) writes 'layer0.W', which is also an initializer"});
    contains(refusal(target, edited(gru, source, [](onnx::ModelProto& m) {
                       auto& in = *m.mutable_graph()->add_input();
                       in.set_name("layer1.R");
                       in.mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto_DataType_FLOAT);
                     }), bad),
             {"graph input 'layer1.R' is also an initializer"});
  }
  SUBCASE("one layer with sequence_lens, the one above without; dims that claim gigabytes") {
    contains(refusal(target, edited(gru, source, [](onnx::ModelProto& m) {
                       node_named(*m.mutable_graph(), "layer1").mutable_input()->RemoveLast();
                     }, {.sequence_lens = true}), bad),
             {"'layer0' (GRU) takes sequence_lens, the layers above it do not"});
    contains(refusal(target, edited(gru, source, [](onnx::ModelProto& m) {
                       for (auto& t : *m.mutable_graph()->mutable_initializer())
                         if (t.name() == "head.W") {
                           t.set_data_type(onnx::TensorProto_DataType_DOUBLE);
                           t.set_dims(0, 32768);
                           t.set_dims(1, 32768);
                           t.clear_raw_data();
                         }
                     }), bad),
             {"'head.W'", "holds 0 bytes of data"});
  }
  SUBCASE("an MGU graph that is not the one save_onnx writes") {
    auto m = random_model<mgu<float, 2>>(6), m2 = random_model<mgu<float, 2>>(7);
    contains(refusal(m2, edited(m, source, [](onnx::ModelProto& p) {
                       auto& body = *node_named(*p.mutable_graph(), "layer1").mutable_attribute(1)->mutable_g();
                       for (auto& n : *body.mutable_node())
                         if (n.op_type() == "Sigmoid") n.set_op_type("Tanh");
                     }, {.sequence_lens = true}), bad),
             {"save_onnx writes", "'layer1' (Scan)'s body", "'layer1.f'"});
    contains(refusal(m2, edited(m, source, [](onnx::ModelProto& p) {
                       for (auto& t : *p.mutable_graph()->mutable_initializer())
                         if (t.name() == "two") t.set_raw_data(std::string("\3\0\0\0\0\0\0\0", 8));
                     }), bad),
             {"initializer 'two' does not hold the expected values"});
  }
}

TEST_CASE("onnx: a reset-before GRU's recurrent bias Rb, which save_onnx leaves zero, loads into b") {
  // ONNX's linear_before_reset = 0 adds Rb outside r, as Wb: moving part of Wb into Rb is the same
  // model to ONNX Runtime, and must load as the same model.
  temp_dir dir;
  auto model = random_model<gru_rb<float, 2>>(8);
  const fs::path saved = dir.path / "saved.onnx", moved = dir.path / "moved.onnx";
  save_onnx(model, saved);
  onnx::ModelProto m;
  REQUIRE(m.ParseFromString(file_bytes(saved)));
  for (auto& t : *m.mutable_graph()->mutable_initializer()) {
    if (t.name() != "layer0.B" && t.name() != "layer1.B") continue;
    std::vector<float> b(std::size_t(t.dims(1)));
    std::memcpy(b.data(), t.raw_data().data(), b.size() * sizeof(float));
    const std::size_t half = b.size() / 2;  // [Wb | Rb], Rb all zero
    for (std::size_t i = 0; i < half; ++i) {
      const float part = 0.25f * float(i % 5) - 0.5f;  // exact in float: Wb - part + part == Wb
      b[half + i] = part;
      b[i] -= part;
    }
    t.set_raw_data(std::string(reinterpret_cast<const char*>(b.data()), b.size() * sizeof(float)));
  }
  {
    std::ofstream out(moved, std::ios::binary);
    out << m.SerializeAsString();
  }
  rng g(3);
  const auto x = test::random_sequence<float>(6, 3, 5, g);
  auto loaded = random_model<gru_rb<float, 2>>(9);
  load_onnx(loaded, moved);
  const xt::xtensor<float, 2> expected = model.predict(x);
  CHECK(max_difference(loaded.predict(x), expected) < 1e-6);
  CHECK(max_difference(onnx_runtime_logits(moved, x, {}, 3, dir.path), expected) < 1e-5);
}

TEST_CASE("onnx: a torch.onnx.export graph whose head reads another step than the last is refused") {
  temp_dir dir;
  onnx::ModelProto m;
  REQUIRE(m.ParseFromString(file_bytes(fs::path(RNNCELL_ORACLE_DIR) / "onnx" / "gru_l2.onnx")));
  // The Gather before the Gemm takes its index from a Constant node: -1, the last step. Make it 0.
  auto& g = *m.mutable_graph();
  std::string index;
  for (const auto& n : g.node())
    if (n.op_type() == "Gather" && n.input(0).find("Squeeze") != std::string::npos) index = n.input(1);
  REQUIRE(!index.empty());
  for (auto& n : *g.mutable_node())
    if (n.op_type() == "Constant" && n.output(0) == index) {
      const std::int64_t first = 0;
      n.mutable_attribute(0)->mutable_t()->set_raw_data(std::string(reinterpret_cast<const char*>(&first), 8));
    }
  auto model = random_model<Model<Stacked<GRUCell<5, 7, float, reset_after>, 2>, Dense<7, 3>>>(1);
  contains(refusal(model, m.SerializeAsString(), dir.path / "first_step.onnx"), {"(Gather)", "gathers step 0"});
}
