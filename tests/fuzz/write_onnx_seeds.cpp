// write_onnx_seeds FOLDER: saves the load_onnx harness's models with save_onnx into FOLDER, with
// and without sequence_lens, as the seed corpus (tests/fuzz/corpus/onnx, next to two graphs
// torch.onnx.export wrote: make_onnx_corpus.sh).
#include "onnx_models.hpp"

#include <rnncell/onnx.hpp>

#include <cstdio>
#include <string>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: write_onnx_seeds FOLDER\n");
    return 2;
  }
  const std::string folder = argv[1];
  for (const bool lengths : {false, true}) {
    const std::string suffix = lengths ? "_lengths.onnx" : ".onnx";
    const rnncell::onnx_options options{.sequence_lens = lengths};
    rnncell::save_onnx(rnncell_fuzz::gru_reset_after_model(1), folder + "/gru_reset_after" + suffix, options);
    rnncell::save_onnx(rnncell_fuzz::gru_reset_before_model(2), folder + "/gru_reset_before" + suffix, options);
    rnncell::save_onnx(rnncell_fuzz::mgu_model(3), folder + "/mgu" + suffix, options);
    rnncell::save_onnx(rnncell_fuzz::lstm_model(4), folder + "/lstm" + suffix, options);
  }
  return 0;
}
