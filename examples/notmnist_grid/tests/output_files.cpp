#include "output_files.hpp"

#include <fstream>
#include <sstream>
#include <vector>

namespace notmnist::testing {

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

nlohmann::json read_json(const std::filesystem::path& file) { return nlohmann::json::parse(read_text(file)); }

nlohmann::json without_timings(nlohmann::json j) {
  if (j.is_object()) {
    j.erase("seconds_per_epoch");
    for (auto& [key, value] : j.items()) value = without_timings(value);
  } else if (j.is_array()) {
    for (auto& value : j) value = without_timings(value);
  }
  return j;
}

std::string csv_without_timings(const std::string& csv) {
  std::istringstream lines(csv);
  std::string line, out;
  std::size_t timing_column = std::string::npos;
  while (std::getline(lines, line)) {
    std::vector<std::string> cells;
    std::istringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    if (timing_column == std::string::npos)
      for (std::size_t i = 0; i < cells.size(); ++i)
        if (cells[i] == "mean_seconds_per_epoch") timing_column = i;
    for (std::size_t i = 0; i < cells.size(); ++i)
      if (i != timing_column) out += cells[i] + ",";
    out += "\n";
  }
  return out;
}

std::map<std::string, nlohmann::json> run_files(const std::filesystem::path& out) {
  std::map<std::string, nlohmann::json> runs;
  for (const auto& entry : std::filesystem::directory_iterator(out / "runs"))
    if (entry.path().extension() == ".json")  // as the store reads them: not *.rejected-<n>, *.partial
      runs[entry.path().filename().string()] = without_timings(read_json(entry.path()));
  return runs;
}

}  // namespace notmnist::testing
