#include "grid/run_store.hpp"

#include <rnncell/detail/atomic_write.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>
#include <string>
#include <stdexcept>

namespace notmnist {
namespace fs = std::filesystem;

fs::path run_store::file_of(const run_id& id) const { return out_ / "runs" / (id.name() + ".json"); }

void run_store::save(const run_record& record) const {
  rnncell::detail::write_file_atomically(file_of(record.id), to_json(record).dump(1) + "\n");
}

namespace {

std::string file_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (!in.good() && !in.eof()) throw std::runtime_error("cannot read the file");
  return text;
}

// The first free <file>.rejected-<n>: earlier rejects of the same run stay where they are.
fs::path move_aside(const fs::path& file) {
  for (int n = 1;; ++n) {
    fs::path aside = file;
    aside += ".rejected-" + std::to_string(n);
    std::error_code ec;
    if (fs::exists(aside, ec) || ec) continue;
    fs::rename(file, aside);  // throws filesystem_error naming both paths
    return aside;
  }
}

}  // namespace

std::map<run_id, run_record> run_store::load(std::ostream& log) const {
  std::map<run_id, run_record> runs;
  const fs::path folder = out_ / "runs";
  if (!fs::is_directory(folder)) return runs;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    try {
      run_record r = read_run_record(file_text(entry.path()));
      if (entry.path().filename() != file_of(r.id).filename()) throw std::runtime_error("its content is run " + r.id.name());
      runs.emplace(r.id, std::move(r));
    } catch (const std::exception& e) {
      const fs::path aside = move_aside(entry.path());
      log << "warning: " << entry.path().string() << ": not a valid run record (" << e.what() << "); moved aside to "
          << aside.filename().string() << "; a grid run into this folder runs it again" << std::endl;
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
