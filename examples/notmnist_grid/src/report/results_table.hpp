#pragma once
// results.md and results.csv: per config the mean final validation accuracy over its seeds, std,
// error (1 - accuracy), mean seconds per epoch, parameter count, and the seed lab's numbers with
// the difference where they are known. results.md states the protocol, dropout rates included
// when they are not 0.
#include "grid/dataset_info.hpp"
#include "report/summary.hpp"

#include <string>
#include <vector>

namespace notmnist {

std::string results_markdown(const std::vector<config_summary>& rows, const training_protocol& protocol,
                             const dataset_info& data);
std::string results_csv(const std::vector<config_summary>& rows);

}  // namespace notmnist
