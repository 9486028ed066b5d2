#include "grid/json_real.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace notmnist {

nlohmann::json real_to_json(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return value;
}

nlohmann::json reals_to_json(const std::vector<double>& values) {
  nlohmann::json out = nlohmann::json::array();
  for (double v : values) out.push_back(real_to_json(v));
  return out;
}

double real_from_json(const nlohmann::json& j, std::string_view what) {
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) {
    const auto& text = j.get_ref<const std::string&>();
    if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (text == "inf") return std::numeric_limits<double>::infinity();
    if (text == "-inf") return -std::numeric_limits<double>::infinity();
  }
  throw std::runtime_error(std::string(what) + " must be a number, \"nan\", \"inf\" or \"-inf\", not " +
                           (j.is_string() ? "another string" : std::string("a ") + j.type_name()));
}

std::vector<double> reals_from_json(const nlohmann::json& j, std::string_view what) {
  if (!j.is_array()) throw std::runtime_error(std::string(what) + " must be an array of numbers");
  std::vector<double> out;
  out.reserve(j.size());
  for (const auto& v : j) out.push_back(real_from_json(v, what));
  return out;
}

}  // namespace notmnist
