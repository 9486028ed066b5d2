#include "grid/run_store.hpp"

#include <rnncell/detail/atomic_write.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <stdexcept>

namespace notmnist {
namespace fs = std::filesystem;

fs::path run_store::file_of(const run_id& id) const { return out_ / "runs" / (id.name() + ".json"); }

void run_store::save(const run_record& record) const {
  rnncell::detail::write_file_atomically(file_of(record.id), to_json(record).dump(1) + "\n");
}

std::map<run_id, run_record> run_store::load() const {
  std::map<run_id, run_record> runs;
  const fs::path folder = out_ / "runs";
  if (!fs::is_directory(folder)) return runs;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    try {
      std::ifstream in(entry.path());
      run_record r = run_record_from_json(nlohmann::json::parse(in));
      if (entry.path().filename() != file_of(r.id).filename()) throw std::runtime_error("its content is run " + r.id.name());
      runs.emplace(r.id, std::move(r));
    } catch (const std::exception& e) {
      throw std::runtime_error(entry.path().string() + ": not a valid run record: " + e.what());
    }
  }
  return runs;
}

void require_same_protocol(const std::map<run_id, run_record>& runs, const training_protocol& protocol,
                           const fs::path& where) {
  for (const auto& [id, r] : runs)
    if (!(r.protocol == protocol))
      throw std::runtime_error(where.string() + " holds run " + id.name() + " trained with " + r.protocol.describe() +
                               ", but this grid uses " + protocol.describe() + "; use another --out");
}

}  // namespace notmnist
