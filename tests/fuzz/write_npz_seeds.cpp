// write_npz_seeds FOLDER: saves the .npz harness's two models with save_npz into FOLDER, so the
// seed corpus (make_corpus.py) holds our own writer's output next to NumPy's.
#include "npz_models.hpp"

#include <rnncell/checkpoint.hpp>

#include <cstdio>
#include <string>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: write_npz_seeds FOLDER\n");
    return 2;
  }
  const std::string folder = argv[1];
  rnncell::save_npz(folder + "/mgu_model.npz", rnncell_fuzz::mgu_model(3));
  rnncell::save_npz(folder + "/stacked_gru_model.npz", rnncell_fuzz::stacked_gru_model(4));
  return 0;
}
