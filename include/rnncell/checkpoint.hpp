#pragma once
// Checkpoints as NumPy .npz files: one uncompressed .npy entry per parameter, named after it
// ("rnn.layer0.Wx.npy"), so `np.load(path)["rnn.layer0.Wx"]` reads a weight back in Python.
// Works for anything with for_each_parameter(f), f(std::string_view name, xt::xtensor<T, N>& p):
// cells, stacks, dense heads and models. Loading never converts or resizes: every parameter must
// be present with its exact shape and dtype and nothing else may be in the file, else nothing
// is changed and a std::runtime_error names the file, the entry, and what was expected.
#include <rnncell/detail/atomic_write.hpp>
#include <rnncell/detail/npz.hpp>
#include <rnncell/detail/read_file.hpp>
#include <rnncell/detail/zip_reader.hpp>

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace rnncell {

namespace detail {

/// Calls obj.for_each_parameter(f) on an object the caller holds const. Saving only reads the
/// parameters, but the visitors hand out mutable references and need not have a const overload.
template <class Obj, class F>
void for_each_parameter_of(const Obj& obj, F&& f) {
  if constexpr (requires { obj.for_each_parameter(f); })
    obj.for_each_parameter(f);
  else
    const_cast<Obj&>(obj).for_each_parameter(f);  // f does not write (see save_npz)
}

template <class T>
inline constexpr bool is_checkpoint_scalar = std::is_same_v<T, float> || std::is_same_v<T, double>;

/// load_npz on bytes already in memory; `where` names their origin in error messages. The
/// fuzzing harness calls this directly.
template <class Obj>
void load_npz_from_bytes(std::string_view archive, const std::string& where, Obj& obj) {
  const std::vector<zip_entry> entries = read_stored_zip(archive, where);

  std::vector<bool> used(entries.size(), false);
  std::vector<npy_array> arrays;  // in visiting order, when every entry is found
  std::string missing;
  obj.for_each_parameter([&](std::string_view name, auto& p) {
    static_assert(is_checkpoint_scalar<typename std::remove_cvref_t<decltype(p)>::value_type>,
                  "rnncell checkpoints hold float or double parameters");
    const std::string entry_name = std::string(name) + ".npy";
    for (std::size_t i = 0; i < entries.size(); ++i)
      if (!used[i] && entries[i].name == entry_name) {
        used[i] = true;
        const std::string entry = where + ": entry '" + entry_name + "'";
        arrays.push_back(parse_npy(entries[i].data, entry));
        check_npy_matches(arrays.back(), p, entry);
        return;
      }
    missing += (missing.empty() ? "" : ", ") + ("'" + entry_name + "'");
  });
  std::string unexpected;
  for (std::size_t i = 0; i < entries.size(); ++i)
    if (!used[i]) unexpected += (unexpected.empty() ? "" : ", ") + printable_name(entries[i].name);
  if (!missing.empty() || !unexpected.empty())
    throw std::runtime_error(where + " does not match the model:" +
                             (missing.empty() ? "" : " missing entries " + missing + ";") +
                             (unexpected.empty() ? "" : " unexpected entries " + unexpected + ";"));

  // Every entry passed its checks: from here on nothing allocates or throws (copy_npy is noexcept).
  std::size_t next = 0;
  obj.for_each_parameter([&](std::string_view, auto& p) { copy_npy(arrays[next++], p); });
}

}  // namespace detail

/// Writes every parameter of `obj` to `path` as an .npz (replacing it atomically).
template <class Obj>
void save_npz(const std::filesystem::path& path, const Obj& obj) {
  std::vector<detail::zip_member> members;
  detail::for_each_parameter_of(obj, [&](std::string_view name, const auto& p) {
    static_assert(detail::is_checkpoint_scalar<typename std::remove_cvref_t<decltype(p)>::value_type>,
                  "rnncell checkpoints hold float or double parameters");
    members.push_back({std::string(name) + ".npy", detail::npy_bytes(p)});
  });
  detail::write_file_atomically(path, detail::make_stored_zip(members));
}

/// Reads every parameter of `obj` from the .npz at `path` (written by save_npz or numpy.savez).
/// All entries are checked before any parameter is written, so on error `obj` is unchanged.
template <class Obj>
void load_npz(const std::filesystem::path& path, Obj& obj) {
  detail::load_npz_from_bytes(detail::read_whole_file(path, "checkpoint"), "rnncell: checkpoint " + detail::quoted(path), obj);
}

}  // namespace rnncell
