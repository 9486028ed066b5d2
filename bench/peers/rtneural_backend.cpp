// RTNeural's GRU and LSTM behind rtneural_backend.hpp, for one backend chosen by the build (see
// there). The namespaces differ per backend: RTNEURAL_NAMESPACE is set by bench/CMakeLists.txt, and
// so is RNNCELL_BENCH_BACKEND (eigen, stl or xsimd_backend: where the make_rtneural_* go).
#include <RTNeural/RTNeural.h>

#include <type_traits>

#include "rtneural_backend.hpp"
#include "rtneural_sizes.hpp"

namespace rnncell_bench::RNNCELL_BENCH_BACKEND {

template <int In, int H>
using gru_layer = RTNEURAL_NAMESPACE::GRULayerT<float, In, H>;
template <int In, int H>
using lstm_layer = RTNEURAL_NAMESPACE::LSTMLayerT<float, In, H>;

template <int In, int H, template <int, int> class Layer>
class rtneural_layer final : public streaming_layer {
 public:
  explicit rtneural_layer(const keras_weights& w) {
    auto& layer = model_.template get<0>();
    layer.setWVals(w.kernel);
    layer.setUVals(w.recurrent);
    // GRULayerT takes Keras' two bias rows as they are, LSTMLayerT the one row of its LSTM.
    if constexpr (std::is_same_v<Layer<In, H>, lstm_layer<In, H>>)
      layer.setBVals(w.bias.at(0));
    else
      layer.setBVals(w.bias);
    model_.reset();
  }
  void reset() override { model_.reset(); }
  const float* step(const float* x) override {
    model_.forward(x);
    return model_.getOutputs();
  }

 private:
  RTNEURAL_NAMESPACE::ModelT<float, In, H, Layer<In, H>> model_;
};

template <template <int, int> class Layer>
std::unique_ptr<streaming_layer> make_rtneural(const keras_weights& w) {
  std::unique_ptr<streaming_layer> out;
  for_each_stream_size([&](auto in, auto hidden) {
    if (w.in == in && w.hidden == hidden)
      out = std::make_unique<rtneural_layer<decltype(in)::value, decltype(hidden)::value, Layer>>(w);
  });
  return out;
}

std::unique_ptr<streaming_layer> make_rtneural_gru(const keras_weights& w) { return make_rtneural<gru_layer>(w); }
std::unique_ptr<streaming_layer> make_rtneural_lstm(const keras_weights& w) { return make_rtneural<lstm_layer>(w); }

}  // namespace rnncell_bench::RNNCELL_BENCH_BACKEND
