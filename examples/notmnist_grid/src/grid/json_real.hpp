#pragma once
// Real numbers in the output folder's JSON files, NaN and infinities included. JSON has no
// literal for them and nlohmann::json writes them as null, which its reader then refuses as a
// number: a folder holding one could not be read back. Here they are the strings "nan", "inf"
// and "-inf", written and read by the same two functions, so every double round-trips.
#include <nlohmann/json_fwd.hpp>

#include <string_view>
#include <vector>

namespace notmnist {

nlohmann::json real_to_json(double value);
nlohmann::json reals_to_json(const std::vector<double>& values);

/// A JSON number or one of "nan", "inf", "-inf". Throws std::runtime_error naming `what` otherwise.
double real_from_json(const nlohmann::json& j, std::string_view what);
std::vector<double> reals_from_json(const nlohmann::json& j, std::string_view what);  // an array of them

}  // namespace notmnist
