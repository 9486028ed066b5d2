#pragma once
// An output folder's finished runs, one file each: OUT/runs/<config>_seed<seed>.json, written
// atomically the moment a run ends. Its contents are the source of every table and plot, which is
// what makes resume (skip what is on disk) and merge (union of folders) simple.
#include "grid/run_record.hpp"

#include <filesystem>
#include <map>
#include <ostream>

namespace notmnist {

class run_store {
 public:
  explicit run_store(std::filesystem::path out) : out_(std::move(out)) {}

  const std::filesystem::path& folder() const { return out_; }
  std::filesystem::path file_of(const run_id& id) const;
  void save(const run_record& record) const;

  /// Every finished run on disk, by id. Temp files of unfinished writes are ignored. A run file
  /// that cannot be read as a record (unreadable, truncated, another format version, values the
  /// reader refuses, or named after another run) never blocks the folder: it is renamed to
  /// <file>.rejected-<n> (kept for a look, never deleted), named in a warning on `log`, and left
  /// out, so that the grid runs it again.
  std::map<run_id, run_record> load(std::ostream& log) const;

 private:
  std::filesystem::path out_;
};

/// Throws std::runtime_error when a stored run used another protocol than `protocol`: tables
/// must not mix runs of different lengths, batch sizes, rates or splits.
void require_same_protocol(const std::map<run_id, run_record>& runs, const training_protocol& protocol,
                           const std::filesystem::path& where);

}  // namespace notmnist
