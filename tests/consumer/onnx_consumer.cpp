// The component onnx from a user's project: saves a model as ONNX, loads it into another, and exits
// non-zero unless both give the same logits.
#include <rnncell/onnx.hpp>
#include <rnncell/rnncell.hpp>

#include <cstdio>

int main() {
  using model_type = rnncell::Model<rnncell::Stacked<rnncell::LSTMCell<4, 8>, 2>, rnncell::Dense<8, 3>>;
  model_type model(42), copy(7);
  rnncell::save_onnx(model, "consumer.onnx");
  rnncell::load_onnx(copy, "consumer.onnx");
  const xt::xtensor<float, 3> x = xt::ones<float>({5, 2, 4});
  const xt::xtensor<float, 2> a = model.predict(x), b = copy.predict(x);
  std::printf("onnx_consumer: %s\n", a == b ? "save_onnx then load_onnx gives the same logits" : "logits differ");
  return a == b ? 0 : 1;
}
