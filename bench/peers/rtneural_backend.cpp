// RTNeural's GRU behind rtneural_backend.hpp, for one backend chosen by the build (see there).
// The namespaces differ per backend: RTNEURAL_NAMESPACE is set by bench/CMakeLists.txt, and so is
// RNNCELL_BENCH_BACKEND (eigen, stl or xsimd_backend: where make_rtneural_gru goes).
#include <RTNeural/RTNeural.h>

#include "rtneural_backend.hpp"
#include "rtneural_sizes.hpp"

namespace rnncell_bench::RNNCELL_BENCH_BACKEND {

template <int In, int H>
class rtneural_gru final : public streaming_gru {
 public:
  explicit rtneural_gru(const keras_gru_weights& w) {
    auto& gru = model_.template get<0>();
    gru.setWVals(w.kernel);
    gru.setUVals(w.recurrent);
    gru.setBVals(w.bias);
    model_.reset();
  }
  void reset() override { model_.reset(); }
  const float* step(const float* x) override {
    model_.forward(x);
    return model_.getOutputs();
  }

 private:
  RTNEURAL_NAMESPACE::ModelT<float, In, H, RTNEURAL_NAMESPACE::GRULayerT<float, In, H>> model_;
};

std::unique_ptr<streaming_gru> make_rtneural_gru(const keras_gru_weights& w) {
  std::unique_ptr<streaming_gru> out;
  for_each_stream_size([&](auto in, auto hidden) {
    if (w.in == in && w.hidden == hidden) out = std::make_unique<rtneural_gru<decltype(in)::value, decltype(hidden)::value>>(w);
  });
  return out;
}

}  // namespace rnncell_bench::RNNCELL_BENCH_BACKEND
