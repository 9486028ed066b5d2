#pragma once
// Reading a grid's output folder in tests, with the wall-clock timings taken out so that two
// runs of the same grid compare equal.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>

namespace notmnist::testing {

std::string read_text(const std::filesystem::path& file);
nlohmann::json read_json(const std::filesystem::path& file);

/// The JSON without any "seconds_per_epoch" member.
nlohmann::json without_timings(nlohmann::json j);

/// results.csv without its mean_seconds_per_epoch column.
std::string csv_without_timings(const std::string& csv);

/// Every run file (*.json) of OUT/runs, by file name, without timings.
std::map<std::string, nlohmann::json> run_files(const std::filesystem::path& out);

}  // namespace notmnist::testing
