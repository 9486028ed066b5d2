// export_onnx_models FOLDER: writes every model of inference_models.hpp (the seeds bench_inference
// uses) as FOLDER/<name>.onnx with save_onnx, for bench/run-onnx.sh to run under ONNX Runtime.
#include <rnncell/onnx.hpp>

#include <cstdio>
#include <string>

#include "inference_models.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: export_onnx_models FOLDER\n");
    return 2;
  }
  const std::string folder = argv[1];
  rnncell_bench::for_each_inference_model([&]<class M>(const std::string& name) {
    rnncell::save_onnx(M(1), folder + "/" + name + ".onnx");
  });
  return 0;
}
