#include "data_lookup.hpp"

#include "dataset.hpp"

#include <string>

namespace notmnist {
namespace fs = std::filesystem;

namespace {

std::optional<fs::path> dataset_in(const fs::path& folder) {
  for (const char* name : {"notMNIST_small", "notMNIST_small.tar.gz"})
    if (fs::exists(folder / name)) return folder / name;
  return std::nullopt;
}

}  // namespace

fs::path find_dataset(const std::optional<fs::path>& given) {
  if (given) {
    if (!fs::exists(*given)) throw dataset_error(given->string() + ": no such file or folder (from --data)");
    return fs::is_directory(*given) ? dataset_in(*given).value_or(*given) : *given;
  }
  const fs::path places[] = {"data", fs::path("..") / "shared" / "data"};
  std::string looked;
  for (const auto& place : places) {
    if (auto found = dataset_in(place)) return *found;
    looked += ' ';
    looked += (place / "notMNIST_small{,.tar.gz}").string();
  }
  throw dataset_error("no dataset found; looked for" + looked +
                      ". Pass --data PATH, or download it with scripts/download_notmnist.sh");
}

}  // namespace notmnist
