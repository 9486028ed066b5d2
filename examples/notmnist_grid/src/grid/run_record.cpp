#include "grid/run_record.hpp"

#include <nlohmann/json.hpp>

namespace notmnist {

nlohmann::json history_json(const history& h) {
  return {{"loss", h.loss},
          {"accuracy", h.accuracy},
          {"val_loss", h.val_loss},
          {"val_accuracy", h.val_accuracy},
          {"seconds_per_epoch", h.seconds}};
}

nlohmann::json to_json(const run_record& r) {
  nlohmann::json j = {{"config", r.id.config.name()},
                      {"cell", cell_name(r.id.config.cell)},
                      {"layers", r.id.config.layers},
                      {"hidden", r.id.config.hidden},
                      {"seed", r.id.seed},
                      {"epochs", r.protocol.epochs},
                      {"batch", r.protocol.batch},
                      {"lr", r.protocol.lr},
                      {"split_seed", r.protocol.split_seed},
                      {"parameter_count", r.parameter_count},
                      {"status", r.failed ? "failed" : "ok"},
                      {"history", history_json(r.hist)}};
  if (r.failed) j["failure"] = {{"epoch", r.failed_epoch}, {"message", r.failure}};
  return j;
}

run_record run_record_from_json(const nlohmann::json& j) {
  run_record r;
  r.id.config = {parse_cell(j.at("cell").get<std::string>()), j.at("layers").get<int>(), j.at("hidden").get<int>()};
  r.id.seed = j.at("seed").get<std::uint64_t>();
  r.protocol = {j.at("epochs").get<int>(), j.at("batch").get<int>(), j.at("lr").get<double>(),
                j.at("split_seed").get<std::uint64_t>()};
  r.parameter_count = j.at("parameter_count").get<std::size_t>();
  const auto& h = j.at("history");
  h.at("loss").get_to(r.hist.loss);
  h.at("accuracy").get_to(r.hist.accuracy);
  h.at("val_loss").get_to(r.hist.val_loss);
  h.at("val_accuracy").get_to(r.hist.val_accuracy);
  h.at("seconds_per_epoch").get_to(r.hist.seconds);
  r.failed = j.at("status").get<std::string>() == "failed";
  if (r.failed) {
    r.failed_epoch = j.at("failure").at("epoch").get<int>();
    r.failure = j.at("failure").at("message").get<std::string>();
  }
  return r;
}

}  // namespace notmnist
