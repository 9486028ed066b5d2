#include "grid/run_record.hpp"

#include "grid/json_real.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace notmnist {
namespace {

[[noreturn]] void reject(const std::string& what) { throw std::runtime_error(what); }

std::string quoted(const char* key) { return std::string(1, '"').append(key).append(1, '"'); }

const nlohmann::json& field(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) reject("expected a JSON object holding \"" + std::string(key) + "\"");
  const auto it = j.find(key);
  if (it == j.end()) reject(quoted(key) + " is missing");
  return *it;
}

// An integer field in [min, max]; a float, a string or an out-of-range value is refused rather
// than converted (nlohmann's get<int> would turn 1.5 into 1 and -1 into a huge unsigned).
std::uint64_t integer(const nlohmann::json& j, const char* key, std::uint64_t min, std::uint64_t max) {
  const auto& v = field(j, key);
  std::uint64_t value = 0;
  bool is_integer = true;
  if (v.is_number_unsigned())
    value = v.get<std::uint64_t>();
  else if (v.is_number_integer() && v.get<std::int64_t>() >= 0)
    value = std::uint64_t(v.get<std::int64_t>());
  else
    is_integer = false;
  if (!is_integer || value < min || value > max)
    reject(quoted(key) + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
  return value;
}

std::string text(const nlohmann::json& j, const char* key) {
  const auto& v = field(j, key);
  if (!v.is_string()) reject(quoted(key) + " must be a string");
  return v.get<std::string>();
}

constexpr std::uint64_t int_max = std::uint64_t(std::numeric_limits<int>::max());

history history_from_json(const nlohmann::json& h) {
  history out{reals_from_json(field(h, "loss"), "history.loss"),
              reals_from_json(field(h, "accuracy"), "history.accuracy"),
              reals_from_json(field(h, "val_loss"), "history.val_loss"),
              reals_from_json(field(h, "val_accuracy"), "history.val_accuracy"),
              reals_from_json(field(h, "seconds_per_epoch"), "history.seconds_per_epoch")};
  for (const auto* series : {&out.accuracy, &out.val_loss, &out.val_accuracy, &out.seconds})
    if (series->size() != out.loss.size()) reject("the history's series have different lengths");
  return out;
}

// An optional rate in [0, 1): absent (files of the seed protocol, and of programs before
// dropout) is 0.
double dropout_rate(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end()) return 0;
  const double rate = real_from_json(*it, key);
  if (!(rate >= 0 && rate < 1)) reject(quoted(key) + " must be a number in [0, 1)");
  return rate + 0.0;  // -0 as 0
}

}  // namespace

void add_dropout_rates(nlohmann::json& j, const training_protocol& p) {
  if (p.dropout != 0) j["dropout"] = p.dropout;
  if (p.recurrent_dropout != 0) j["recurrent_dropout"] = p.recurrent_dropout;
}

nlohmann::json history_json(const history& h) {
  return {{"loss", reals_to_json(h.loss)},
          {"accuracy", reals_to_json(h.accuracy)},
          {"val_loss", reals_to_json(h.val_loss)},
          {"val_accuracy", reals_to_json(h.val_accuracy)},
          {"seconds_per_epoch", reals_to_json(h.seconds)}};
}

nlohmann::json to_json(const run_record& r) {
  nlohmann::json j = {{"format_version", run_record_format_version},
                      {"config", r.id.config.name()},
                      {"cell", cell_name(r.id.config.cell)},
                      {"layers", r.id.config.layers},
                      {"hidden", r.id.config.hidden},
                      {"seed", r.id.seed},
                      {"epochs", r.protocol.epochs},
                      {"batch", r.protocol.batch},
                      {"lr", real_to_json(r.protocol.lr)},
                      {"split_seed", r.protocol.split_seed},
                      {"parameter_count", r.parameter_count},
                      {"status", r.failed ? "failed" : "ok"},
                      {"history", history_json(r.hist)}};
  if (r.failed) j["failure"] = {{"epoch", r.failed_epoch}, {"message", r.failure}};
  add_dropout_rates(j, r.protocol);
  return j;
}

run_record run_record_from_json(const nlohmann::json& j) {
  if (!j.is_object()) reject("expected a JSON object, found a " + std::string(j.type_name()));
  if (j.contains("format_version")) {
    const auto& v = j["format_version"];
    if (!(v.is_number_integer() && v.get<std::int64_t>() == run_record_format_version))
      reject("format version " + (v.is_number() ? v.dump() : std::string("of type ") + v.type_name()) +
             "; this program reads version " + std::to_string(run_record_format_version));
  }
  run_record r;
  r.id.config = {parse_cell(text(j, "cell")), int(integer(j, "layers", 1, int_max)), int(integer(j, "hidden", 1, int_max))};
  r.id.seed = integer(j, "seed", 0, std::numeric_limits<std::uint64_t>::max());
  r.protocol.epochs = int(integer(j, "epochs", 1, int_max));
  r.protocol.batch = int(integer(j, "batch", 1, int_max));
  r.protocol.lr = real_from_json(field(j, "lr"), "lr");
  r.protocol.split_seed = integer(j, "split_seed", 0, std::numeric_limits<std::uint64_t>::max());
  if (!std::isfinite(r.protocol.lr) || !(r.protocol.lr > 0)) reject("\"lr\" must be a finite number > 0");
  r.protocol.dropout = dropout_rate(j, "dropout");
  r.protocol.recurrent_dropout = dropout_rate(j, "recurrent_dropout");
  r.parameter_count = std::size_t(integer(j, "parameter_count", 1, std::numeric_limits<std::uint64_t>::max()));
  r.hist = history_from_json(field(j, "history"));
  const std::string status = text(j, "status");
  if (status != "ok" && status != "failed") reject("\"status\" must be \"ok\" or \"failed\", not \"" + status + "\"");
  r.failed = status == "failed";
  const std::size_t epochs = std::size_t(r.protocol.epochs);
  if (!r.failed && r.hist.epochs() != epochs)
    reject("a finished run has " + std::to_string(epochs) + " epochs of history, this one " + std::to_string(r.hist.epochs()));
  if (r.failed) {
    const auto& failure = field(j, "failure");
    r.failed_epoch = int(integer(failure, "epoch", 1, epochs));
    r.failure = text(failure, "message");
    // The history keeps the epochs before the one that failed.
    if (r.hist.epochs() != std::size_t(r.failed_epoch - 1))
      reject("a run that failed in epoch " + std::to_string(r.failed_epoch) + " has " + std::to_string(r.hist.epochs()) +
             " epochs of history");
  }
  return r;
}

run_record read_run_record(std::string_view text) { return run_record_from_json(nlohmann::json::parse(text)); }

}  // namespace notmnist
